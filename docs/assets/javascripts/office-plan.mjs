// The inspection plan page (office/plan/): the organization list, the term, the yearly share, who was
// already inspected and a seed go to the scorer's `plan` (scorer/planner.py, the CLI's own planner);
// the plan comes back as a table, exportable as .xlsx and CSV, with the equivalent command line.
// Impossible inputs show the scorer's message, which names the smallest share that works.

import { startScorer } from "./scorer-client.mjs";
import { startUp, statusLine } from "./startup.mjs";
import { readThrough } from "./file-bytes.mjs";
import { download, el } from "./dom.mjs";
import { describeProblem } from "./problems.mjs";
import { csvBlob, xlsxBlob } from "./export-files.mjs";
import { HANDOVER_KEY, busyButton, hideMessage, showMessage } from "./office-common.mjs";

const PARSE_DELAY_MS = 300;

const root = document.getElementById("gm-office-plan");
const $ = (selector, scope = root) => scope.querySelector(selector);

const scorer = startScorer();
const setStatus = statusLine($('[data-testid="scorer-status"]'), ".gmo-status-text");
const form = $("#gmo-plan-form");
const orgs = $("#gmo-orgs");
const orgsStatus = $("#gmo-orgs-status");
const inspected = $("#gmo-inspected");
const chooseList = $("#gmo-choose-list");
const seed = $("#gmo-seed");
const alertBox = $("#gmo-plan-alert");
const result = $("#gmo-plan-result");
const fromCollect = $('[data-action="from-collect"]');

let parsed = []; // the organizations as the scorer read them from the list
let lastPlan = null;
let lastRequest = null;

// ---------------------------------------------------------------- start-up

const READY_TEXT = "程序已就绪：填写条件后点击“制定计划”。";
const started = startUp({
  scorer, setStatus, whenReady: scorer.ready,
  loading: (message) => `${message || "正在启动计划程序……"}现在即可填写，程序就绪后即可制定计划。`,
  ready: READY_TEXT,
  offline: (note) => `${READY_TEXT}${note}（断网后仍可打开本页）。`,
  onReady: () => { if (orgs.value.trim()) parseOrganizations(); },
});

// ---------------------------------------------------------------- the organization list

let parseTimer = null;
let parseRun = 0;

function scheduleParse() {
  clearTimeout(parseTimer);
  parseTimer = setTimeout(parseOrganizations, PARSE_DELAY_MS);
}

async function parseOrganizations() {
  clearTimeout(parseTimer);
  const text = orgs.value;
  const run = ++parseRun;
  if (!text.trim()) {
    parsed = [];
    orgsStatus.textContent = "";
    renderChoices();
    return;
  }
  if (!started.ready) { orgsStatus.textContent = "程序就绪后将检查名单……"; return; }
  const answer = await scorer.call("organizations", text);
  if (run !== parseRun) return; // overtaken by a newer edit
  if (!answer.ok) {
    parsed = [];
    orgsStatus.textContent = `名单有误：${answer.problems.map(describeProblem).join("；")}`;
    orgsStatus.classList.add("gmo-hint--error");
  } else {
    parsed = answer.result;
    const kinds = new Map();
    for (const o of parsed) kinds.set(o.kind || "未分类", (kinds.get(o.kind || "未分类") || 0) + 1);
    orgsStatus.textContent = `已识别 ${parsed.length} 个党组织：${[...kinds].map(([k, n]) => `${k} ${n} 个`).join("、")}。`;
    orgsStatus.classList.remove("gmo-hint--error");
  }
  renderChoices();
}

function inspectedNames() {
  const lines = inspected.value.split(/\r?\n/).map((l) => l.split(",")[0].trim()).filter(Boolean);
  return new Set(lines.filter((l, i) => !(i === 0 && ["名称", "name"].includes(l.toLowerCase()))));
}

function renderChoices() {
  if (!parsed.length) {
    chooseList.replaceChildren(el("p", { className: "gmo-hint", text: "填写党组织名单后在此勾选。" }));
    return;
  }
  const chosen = inspectedNames();
  chooseList.replaceChildren(...parsed.filter((o) => o.name).map((o, i) => {
    const id = `gmo-choose-${i}`;
    return el("div", { className: "gmo-check" },
      el("input", { type: "checkbox", id, value: o.name, checked: chosen.has(o.name) }),
      el("label", { for: id, text: o.kind ? `${o.name}（${o.kind}）` : o.name }));
  }));
}

chooseList.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches('input[type="checkbox"]')) return;
  const names = [...inspectedNames()];
  const next = box.checked ? [...new Set([...names, box.value])] : names.filter((n) => n !== box.value);
  inspected.value = next.join("\n") + (next.length ? "\n" : "");
  markStale();
});

inspected.addEventListener("input", () => {
  const chosen = inspectedNames();
  for (const box of chooseList.querySelectorAll('input[type="checkbox"]')) box.checked = chosen.has(box.value);
});

orgs.addEventListener("input", scheduleParse);

$("#gmo-orgs-file").addEventListener("change", async (event) => {
  const file = event.target.files && event.target.files[0];
  event.target.value = "";
  if (!file) return;
  // The bytes go to the scorer, which reads GB18030 and UTF-16 ("Unicode 文本") from Chinese Excel as
  // the command line does; the list shown is the text it decoded.
  try {
    if (!started.ready) orgsStatus.textContent = `程序就绪后将读取“${file.name}”……`;
    const [read] = await readThrough(scorer, "csv", [file]);
    if (read.problems) {
      orgsStatus.textContent = `未读取“${file.name}”：${read.problems.map(describeProblem).join("；")}`;
      orgsStatus.classList.add("gmo-hint--error");
      return;
    }
    orgs.value = read.text.replace(/^\ufeff/, "");
  } catch (error) {
    orgsStatus.textContent = `无法读取“${file.name}”（${error.message || error}）。`;
    return;
  }
  parseOrganizations();
  markStale();
});

// Organizations handed over by the collection page in this tab (names and kinds only).
function handedOver() {
  try {
    const value = JSON.parse(sessionStorage.getItem(HANDOVER_KEY) || "null");
    return Array.isArray(value) && value.length ? value : null;
  } catch {
    return null;
  }
}

const handover = handedOver();
if (handover) {
  fromCollect.hidden = false;
  fromCollect.textContent = `使用汇总页已导入的 ${handover.length} 个党组织`;
}
fromCollect.addEventListener("click", async () => {
  if (!handover) return;
  await busyButton(fromCollect, "正在填入……", async () => {
    if (!started.ready) await scorer.ready;
    const answer = await scorer.call("office_csv", "organizations", JSON.stringify({ organizations: handover }));
    if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
    orgs.value = answer.result.text.replace(/^\ufeff/, "").replace(/\r\n/g, "\n");
    await parseOrganizations();
    markStale();
  }, (error) => showMessage(alertBox, "error", "无法填入名单：", [error.message || String(error)]));
});

// ---------------------------------------------------------------- the plan

function request() {
  const value = (id) => $(id).value.trim();
  return {
    organizations: orgs.value,
    first: value("#gmo-first"),
    last: value("#gmo-last"),
    share: value("#gmo-share"),
    inspected: inspected.value,
    from_year: value("#gmo-from") || null,
    seed: value("#gmo-seed") || "0",
  };
}

async function makePlan(note = "") {
  if (!started.ready) {
    showMessage(alertBox, "info", "程序尚未就绪，就绪后将自动制定计划……");
    await scorer.ready;
  }
  const asked = request();
  const answer = await scorer.call("plan", asked);
  if (!answer.ok) {
    lastPlan = null;
    result.hidden = true;
    showProblems(answer.problems);
    return;
  }
  hideMessage(alertBox);
  lastPlan = answer.result;
  lastRequest = asked;
  renderPlan(lastPlan, note);
}

function showProblems(problems) {
  showMessage(alertBox, "error", "无法制定计划，原因如下：", problems.map(describeProblem));
  const smallest = problems.map((p) => /最小比例为 ([0-9.]+)%/.exec(p.message)).find(Boolean);
  if (smallest) {
    const button = el("button", { type: "button", className: "gmo-button", "data-action": "use-smallest", "data-share": `${smallest[1]}%`,
      text: `改用 ${smallest[1]}% 重新制定` });
    alertBox.append(el("p", {}, button));
  }
  alertBox.focus();
}

function percent(share) {
  return `${Math.round(share * 1000) / 10}%`;
}

function renderPlan(plan, note) {
  const [first, last] = plan.term;
  let text = `任期 ${first}–${last}，自 ${plan.from_year} 年起每年检查 ${plan.per_year} 个党组织（比例 ${percent(plan.share)}，共 ${plan.organizations} 个`;
  text += plan.inspected.length ? `，本任期已检查 ${plan.inspected.length} 个）` : "）";
  text += `，随机种子 ${plan.seed}。`;
  if (plan.reviews) text += plan.review_note;  // what 复查 means is the scorer's (planner.mark_reviews)
  $("#gmo-plan-summary").textContent = (note ? `${note} ` : "") + text;
  const body = [];
  for (const year of plan.years) {
    year.organizations.forEach((o, i) => {
      body.push(el("tr", { className: i === 0 ? "gmo-year-start" : null, dataset: { year: year.year } },
        el("td", { className: "gmo-num", text: String(year.year) }),
        el("td", { className: "gmo-num", text: String(i + 1) }),
        el("th", { scope: "row", text: o.name }),
        el("td", { text: o.kind || "" }),
        el("td", {}, o.first ? o.inspection : el("span", { className: "gmo-badge gmo-badge--repeat", text: o.inspection }))));
    });
  }
  const table = el("table", { className: "gmo-table", "data-testid": "plan-table" },
    el("caption", { className: "gmo-visually-hidden", text: `${first}–${last} 任期监督检查计划` }),
    el("thead", {}, el("tr", {}, ["年度", "序号", "党组织", "类别", "检查类型"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, body));
  $("#gmo-plan-table").replaceChildren(table);
  $("#gmo-command").textContent = plan.command;
  $('[data-action="download-inspected"]').hidden = !plan.inspected.length;
  $(".gmo-stale")?.remove();
  result.hidden = false;
  root.dataset.plans = String(Number(root.dataset.plans || 0) + 1);
}

function markStale() {
  if (result.hidden || $(".gmo-stale")) return;
  $("#gmo-plan-summary").before(el("p", { className: "gmo-stale", role: "status", text: "条件已修改，下面仍是修改前的计划；请点击“制定计划”更新。" }));
}

form.addEventListener("input", markStale);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  makePlan().catch((error) => showMessage(alertBox, "error", "无法制定计划：", [error.message || String(error)]));
});

function newSeed() {
  const values = new Uint32Array(1);
  crypto.getRandomValues(values);
  return 1 + (values[0] % 999999);
}

// ---------------------------------------------------------------- exports

function exportName(extension) {
  const [first, last] = lastPlan.term;
  return `监督检查计划_${first}-${last}_种子${lastPlan.seed}.${extension}`;
}

async function exportPlan(kind, button) {
  if (!lastPlan) return;
  await busyButton(button, kind === "xlsx" ? "正在生成 Excel 表格……" : "正在生成 CSV……", async () => {
    const answer = await scorer.call(kind === "xlsx" ? "office_xlsx" : "office_csv", "plan", JSON.stringify(lastPlan));
    if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
    download(kind === "xlsx" ? xlsxBlob(answer.result.base64) : csvBlob(answer.result.text), exportName(kind));
  }, (error) => showMessage(alertBox, "error", "导出失败：", [error.message || String(error)]));
}

async function downloadList(kind, button) {
  if (!lastRequest) return;
  await busyButton(button, "正在生成……", async () => {
    let payload;
    if (kind === "organizations") {
      const answer = await scorer.call("organizations", lastRequest.organizations);
      if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
      payload = { organizations: answer.result };
    } else {
      payload = { names: lastPlan.inspected };
    }
    const answer = await scorer.call("office_csv", kind, JSON.stringify(payload));
    if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
    download(csvBlob(answer.result.text), kind === "organizations" ? "党组织名单.csv" : "已检查名单.csv");
  }, (error) => showMessage(alertBox, "error", "下载失败：", [error.message || String(error)]));
}

root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target) return;
  switch (target.dataset.action) {
    case "reseed": {
      const value = newSeed();
      seed.value = String(value);
      makePlan(`已换用新的随机种子 ${value} 重新抽取。`).catch((error) => showMessage(alertBox, "error", "无法制定计划：", [error.message || String(error)]));
      break;
    }
    case "use-smallest":
      $("#gmo-share").value = target.dataset.share;
      makePlan().catch((error) => showMessage(alertBox, "error", "无法制定计划：", [error.message || String(error)]));
      break;
    case "export-xlsx":
      exportPlan("xlsx", target);
      break;
    case "export-csv":
      exportPlan("csv", target);
      break;
    case "download-organizations":
      downloadList("organizations", target);
      break;
    case "download-inspected":
      downloadList("names", target);
      break;
    default:
      break;
  }
});

root.dataset.interactive = "true";
