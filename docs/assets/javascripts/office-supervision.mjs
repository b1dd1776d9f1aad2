// The daily supervision register (office/supervision/): one record for one or several organizations
// against an item of the year's standard, kept in the year's workspace (office-workspace.mjs via the
// panel of office-year.mjs). What a record may name (items, their rules, sources) is the scorer's
// `register_choices`; every record is checked by the scorer (`supervision_read`) before it is saved,
// and a refused one leaves the stored workspace as it was.

import { registerOffline } from "./offline.mjs";
import { busyButton, hideMessage, showMessage } from "./office-common.mjs";
import { describeProblem } from "./problems.mjs";
import { download, el } from "./dom.mjs";
import { startYearPage } from "./office-year.mjs";

const root = document.getElementById("gm-office-supervision");
const $ = (selector, scope = root) => scope.querySelector(selector);

const form = $("#gmo-record-form");
const alertBox = $("#gmo-record-alert");
const standardSelect = $("#gmo-standard");
const itemSelect = $("#gmo-item");
const sourceSelect = $("#gmo-source");
const orgList = $("#gmo-orgs-list");
const orgFilter = $("#gmo-org-filter");
const registerFilter = $("#gmo-register-filter");

let choices = null; // register_choices: {year, sources, standards}
let workspace = null;
const chosen = new Set(); // organizations ticked, kept across filtering and standard changes

const { scorer, setStatus, panel } = startYearPage(root, (value) => { workspace = value; render(); });

panel.ready.then(async ({ year, bundles }) => {
  const answer = await scorer.call("register_choices", bundles);
  if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
  choices = answer.result;
  fillChoices(year);
  render();
  setStatus("ready", `程序已就绪：${year} 年度的记录保存在本机浏览器中。`);
  root.dataset.interactive = "true";
  registerOffline().catch(() => {});
}).catch((error) => setStatus("error", error.message || String(error)));

// ---------------------------------------------------------------- the form's choices

function fillChoices(year) {
  standardSelect.replaceChildren(...choices.standards.map((s) => el("option", { value: s.id, text: s.title })));
  sourceSelect.replaceChildren(...choices.sources.map((s) => el("option", { value: s.id, text: s.name })));
  const date = $("#gmo-date");
  date.min = `${year}-01-01`;
  date.max = `${year}-12-31`;
  if (!date.value) {
    const today = new Date().toISOString().slice(0, 10);
    date.value = today.startsWith(String(year)) ? today : `${year}-12-31`;
  }
  fillItems();
}

function currentStandard() {
  return choices.standards.find((s) => s.id === standardSelect.value) || choices.standards[0];
}

function fillItems() {
  const standard = currentStandard();
  const groups = new Map();
  for (const item of standard.items) {
    if (!groups.has(item.group)) groups.set(item.group, []);
    groups.get(item.group).push(item);
  }
  itemSelect.replaceChildren(...[...groups].map(([group, items]) => el("optgroup", { label: group },
    items.map((item) => el("option", { value: item.id, text: `${item.id} ${item.text}` })))));
  showRule();
}

function showRule() {
  const item = currentStandard().items.find((i) => i.id === itemSelect.value);
  $("#gmo-item-rule").textContent = item ? `${item.kind_name}：${item.rule}` : "";
}

standardSelect.addEventListener("change", () => { fillItems(); renderOrganizations(); });
itemSelect.addEventListener("change", showRule);

// ---------------------------------------------------------------- the organizations

/** The roster's organizations a record of this standard may concern: its kinds, and those of no known kind. */
function organizationsOf(standard) {
  const known = new Set(choices.standards.flatMap((s) => s.kinds));
  return workspace.roster.filter((o) => !o.kind || !known.has(o.kind) || standard.kinds.includes(o.kind));
}

function renderOrganizations() {
  if (!choices || !workspace) return;
  const standard = currentStandard();
  const all = organizationsOf(standard);
  const note = $("#gmo-roster-note");
  if (!workspace.roster.length) {
    note.replaceChildren("工作区中还没有党组织名单：请先在", el("a", { href: "../results/", text: "评议结果" }),
      "页导入本年度的党组织名单（检查计划所用的 CSV），或导入同事导出的工作区文件。");
  } else {
    note.textContent = `名单共 ${workspace.roster.length} 个党组织；下面列出适用“${standard.title}”标准的 ${all.length} 个。`;
  }
  const names = new Set(all.map((o) => o.name));
  for (const name of [...chosen]) if (!names.has(name)) chosen.delete(name);
  const query = orgFilter.value.trim();
  const shown = query ? all.filter((o) => o.name.includes(query)) : all;
  orgList.replaceChildren(...shown.map((o, i) => {
    const id = `gmo-org-${i}`;
    return el("div", { className: "gmo-check" },
      el("input", { type: "checkbox", id, value: o.name, checked: chosen.has(o.name) }),
      el("label", { for: id, text: o.kind ? `${o.name}（${o.kind}）` : o.name }));
  }));
  if (!shown.length && all.length) orgList.replaceChildren(el("p", { className: "gmo-hint", text: "没有名称包含该文字的党组织。" }));
  countChosen();
}

function countChosen() {
  $("#gmo-orgs-count").textContent = chosen.size ? `已选 ${chosen.size} 个党组织` : "尚未选择党组织";
}

orgList.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches('input[type="checkbox"]')) return;
  if (box.checked) chosen.add(box.value); else chosen.delete(box.value);
  countChosen();
});
orgFilter.addEventListener("input", renderOrganizations);

// ---------------------------------------------------------------- a new record

function newRecord() {
  const value = (id) => $(id).value.trim();
  const record = {
    id: crypto.randomUUID(),
    organizations: [...chosen],
    standard: standardSelect.value,
    item: itemSelect.value,
    date: value("#gmo-date"),
    count: Number(value("#gmo-count") || "1"),
    source: sourceSelect.value,
    updated: new Date().toISOString(),
  };
  if (value("#gmo-note")) record.note = value("#gmo-note");
  if (value("#gmo-evidence-file")) {
    record.evidence = [{ file: value("#gmo-evidence-file") }];
    if (value("#gmo-evidence-location")) record.evidence[0].location = value("#gmo-evidence-location");
  }
  if (value("#gmo-author")) record.author = value("#gmo-author");
  return record;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const button = $('[data-testid="record-add"]');
  busyButton(button, "正在检查……", async () => {
    hideMessage(alertBox);
    if (!chosen.size) {
      showMessage(alertBox, "error", "未登记：请至少选择一个党组织。");
      alertBox.focus();
      return;
    }
    const record = newRecord();
    if (workspace.supervision.some((r) => r.id === record.id)) throw new Error("记录编号重复，请重试。");
    const next = { ...workspace, supervision: [...workspace.supervision, record] };
    const answer = await panel.commit(next, { records: [record] });
    if (!answer.ok) {
      showMessage(alertBox, "error", "未登记，本机工作区没有任何改变。原因：", answer.problems.map(describeProblem));
      alertBox.focus();
      return;
    }
    showMessage(alertBox, "info", `已登记：${record.item}，涉及 ${record.organizations.length} 个党组织。`);
    chosen.clear();
    for (const id of ["#gmo-note", "#gmo-evidence-file", "#gmo-evidence-location"]) $(id).value = "";
    $("#gmo-count").value = "1";
    renderOrganizations();
  }, (error) => showMessage(alertBox, "error", "未登记：", [error.message || String(error)]));
});

// ---------------------------------------------------------------- the register

function itemText(record) {
  const standard = choices.standards.find((s) => s.id === record.standard);
  const pools = standard ? [standard] : choices.standards;
  for (const s of pools) {
    const item = s.items.find((i) => i.id === record.item);
    if (item) return `${item.id} ${item.text}`;
  }
  return record.item;
}

function sourceName(id) {
  const source = choices.sources.find((s) => s.id === id);
  return source ? source.name : id;
}

function renderRegister() {
  const live = workspace.supervision.filter((r) => !r.deleted);
  const names = [...new Set(live.flatMap((r) => r.organizations))].sort((a, b) => a.localeCompare(b, "zh-CN"));
  const picked = registerFilter.value;
  registerFilter.replaceChildren(el("option", { value: "", text: "全部" }), ...names.map((n) => el("option", { value: n, text: n })));
  registerFilter.value = names.includes(picked) ? picked : "";
  const rows = live.filter((r) => !registerFilter.value || r.organizations.includes(registerFilter.value))
    .sort((a, b) => (b.date.localeCompare(a.date)) || (b.updated || "").localeCompare(a.updated || ""));
  $("#gmo-register-summary").textContent = live.length
    ? `共 ${live.length} 条记录${registerFilter.value ? `，其中涉及“${registerFilter.value}”的 ${rows.length} 条` : ""}；按日期由近及远排列。`
    : "还没有监督记录。";
  if (!rows.length) { $("#gmo-register").replaceChildren(); return; }
  const table = el("table", { className: "gmo-table", "data-testid": "register-table" },
    el("caption", { className: "gmo-visually-hidden", text: "本年度监督记录" }),
    el("thead", {}, el("tr", {}, ["日期", "来源", "事项", "次数", "党组织", "说明", "佐证材料", "记录人", "操作"]
      .map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, rows.map((r) => el("tr", { dataset: { record: r.id } },
      el("td", { className: "gmo-num", text: r.date }),
      el("td", { text: sourceName(r.source) }),
      el("th", { scope: "row", text: itemText(r) }),
      el("td", { className: "gmo-num", text: String(r.count || 1) }),
      el("td", { text: r.organizations.length > 3 ? `${r.organizations.slice(0, 3).join("、")} 等 ${r.organizations.length} 个` : r.organizations.join("、"),
        title: r.organizations.join("、") }),
      el("td", { text: r.note || "" }),
      el("td", { text: (r.evidence || []).map((e) => (e.location ? `${e.file}（${e.location}）` : e.file)).join("、") }),
      el("td", { text: r.author || "" }),
      el("td", {}, el("button", { type: "button", className: "gmo-button", "data-action": "withdraw", "data-record": r.id,
        "aria-label": `撤销 ${r.date} ${r.item} 的记录`, text: "撤销" }))))));
  $("#gmo-register").replaceChildren(table);
}

registerFilter.addEventListener("change", renderRegister);

async function withdraw(button) {
  const id = button.dataset.record;
  if (!window.confirm("撤销这条记录？撤销后不再计入评议；已导出的文件中的这条记录在合并时也会被撤销。")) return;
  await busyButton(button, "正在撤销……", async () => {
    // Withdrawn, not removed: a merge with an older copy must not bring it back (the scorer's merge keeps the newer).
    const withdrawn = { ...workspace.supervision.find((r) => r.id === id), deleted: true, updated: new Date().toISOString() };
    const next = { ...workspace, supervision: workspace.supervision.map((r) => (r.id === id ? withdrawn : r)) };
    const answer = await panel.commit(next, { records: [withdrawn] });
    if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
  }, (error) => showMessage(alertBox, "error", "撤销失败：", [error.message || String(error)]));
}

root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target || !root.contains(target)) return;
  switch (target.dataset.action) {
    case "orgs-all":
      for (const box of orgList.querySelectorAll('input[type="checkbox"]')) { box.checked = true; chosen.add(box.value); }
      countChosen();
      break;
    case "orgs-none":
      chosen.clear();
      for (const box of orgList.querySelectorAll('input[type="checkbox"]')) box.checked = false;
      countChosen();
      break;
    case "withdraw":
      withdraw(target);
      break;
    case "export-register": {
      const register = { format: "gm-supervision/1", year: workspace.year, records: workspace.supervision };
      download(new Blob([JSON.stringify(register, null, 2)], { type: "application/json" }), `日常监督记录_${workspace.year}.json`);
      break;
    }
    default:
      break;
  }
});

function render() {
  if (!choices || !workspace) return;
  renderOrganizations();
  renderRegister();
}
