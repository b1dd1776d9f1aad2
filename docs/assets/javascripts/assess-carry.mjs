// Start this year's form from an earlier year's self-assessment (assess/<year>/<standard>/).
//
// The scorer does the work (`carry`): who is assessed and by whom carries; last year's occurrences do
// not (they are not this year's), they come back as read-only reminders under this year's ids, each
// copyable into this year with a date the user picks; last year's record is scored under both years'
// standards side by side. This module only shows that and asks before anything replaces the draft.
// All text goes in with textContent.

import { el as element } from "./dom.mjs";

const STATUS_TEXT = {
  renamed: "指标已更名或替换，对应本年度的新条目",
  moved: "所属领域已调整",
  changed: "内容或分值已修改，请核对",
  removed: "本年度已删除",
};

let nextId = 1;

/** An element with a text and a class: dom.mjs's `el` in this module's short form. */
const el = (tag, text, className) => element(tag, { text, className });

function comparison(before, after) {
  const table = el("table", undefined, "gm-carry-compare");
  const caption = el("caption", `${before.year} 年度的记录分别按两个年度的标准计分（仅供比较，不计入本年度）`);
  table.appendChild(caption);
  const head = table.createTHead().insertRow();
  for (const text of ["", `${before.year} 年度标准`, `${after.year} 年度标准`]) {
    const th = el("th", text);
    th.scope = "col";
    head.appendChild(th);
  }
  const body = table.createTBody();
  const row = (label, a, b) => {
    const tr = body.insertRow();
    const th = el("th", label);
    th.scope = "row";
    tr.appendChild(th);
    tr.appendChild(el("td", a));
    tr.appendChild(el("td", b));
  };
  const areas = (result) => Object.fromEntries(result.areas.map((a) => [a.id, a]));
  const [old, neu] = [areas(before), areas(after)];
  // The results list their areas in the standard's order (the loader enforces the six areas' order).
  const order = [...new Set([...before.areas, ...after.areas].map((a) => a.id))];
  for (const id of order) {
    const a = old[id];
    const b = neu[id];
    row((b || a).name, a ? `${a.score} / ${a.points}` : "—", b ? `${b.score} / ${b.points}` : "—");
  }
  row("奖励加分", `+${before.bonus}`, `+${after.bonus}`);
  row("总分", String(before.total), String(after.total));
  row("等级", before.grade.name, after.grade.name);
  return table;
}

function reminderLabel(entry) {
  return entry.new_id && entry.new_id !== entry.id ? `${entry.id} → ${entry.new_id}` : entry.id;
}

function occurrenceText(o) {
  const parts = [o.date, `${o.count === undefined ? 1 : o.count} 次`];
  if (o.note) parts.push(o.note);
  if (o.evidence && o.evidence.length) parts.push(`佐证材料：${o.evidence.map((e) => e.file).join("、")}`);
  return parts.join(" · ");
}

/**
 * Last year's items under this year's ids, read-only. With `copy` (after acceptance) each occurrence of
 * an item this year still has gets a date field and a button that copies it into this year's form:
 * copy(newId, occurrence with the chosen date) adds the row. Without `copy`, the list only informs.
 */
function reminderList(result, copy, status) {
  const year = result.after.year;
  const review = new Map(result.review.map((r) => [r.id, r]));
  const list = el("ul", undefined, "gm-carry-review");
  list.dataset.testid = "carry-reminders";
  for (const entry of result.reminders) {
    const li = el("li");
    li.dataset.item = entry.id;
    li.appendChild(el("span", reminderLabel(entry), "gm-id"));
    const change = review.get(entry.id);
    li.appendChild(document.createTextNode(` ${entry.text}（上一年度 ${entry.count} 次）` +
      (change ? `：${STATUS_TEXT[change.status] || change.status}` : "")));
    const rows = el("ol", undefined, "gm-carry-occurrences");
    for (const occurrence of entry.occurrences) {
      const row = el("li");
      row.appendChild(el("span", occurrenceText(occurrence)));
      if (copy && entry.new_id) {
        const id = `gm-carry-date-${nextId++}`;
        const label = el("label", `复制到 ${year} 年度的日期`);
        label.htmlFor = id;
        const input = el("input");
        input.type = "date";
        input.id = id;
        input.min = `${year}-01-01`;
        input.max = `${year}-12-31`;
        const button = el("button", `复制到本年度 ${entry.new_id}`, "gm-small-button");
        button.type = "button";
        button.addEventListener("click", () => {
          if (!/^\d{4}-\d{2}-\d{2}$/.test(input.value)) {
            status.textContent = `请先为 ${entry.new_id} 这条记录选择 ${year} 年度内的日期，再复制。`;
            input.focus();
            return;
          }
          copy(entry.new_id, { ...occurrence, date: input.value });
          status.textContent = `已复制到本年度 ${entry.new_id}（${input.value}），请在表格中核对。`;
        });
        const controls = el("span", undefined, "gm-carry-copy");
        controls.append(label, " ", input, " ", button);
        row.append(" ", controls);
      } else if (copy) {
        row.append(" ", el("span", "（本年度已无对应条目，不能复制）", "gm-muted"));
      }
      rows.appendChild(row);
    }
    li.appendChild(rows);
    list.appendChild(li);
  }
  return list;
}

function panel(host, title) {
  host.replaceChildren();
  host.hidden = false;
  const heading = el("h2", title);
  heading.id = "gm-carry-title";
  heading.tabIndex = -1;
  host.appendChild(heading);
  return heading;
}

/**
 * Show the carry-forward of `fileName` into the panel `host`; resolves true when the user accepts.
 * `result` is the scorer's carry answer: {assessment, reminders, review, before, after}.
 */
export function offerCarry(host, fileName, result) {
  const heading = panel(host, `以 ${result.before.year} 年度自评开始 ${result.after.year} 年度自评`);
  host.appendChild(el("p", `文件“${fileName}”是 ${result.before.year} 年度的自评。结转只带入党组织名称、类别和自评人；` +
    `上一年度的记录不计入 ${result.after.year} 年度得分，结转后列在下方作为提醒，确属本年度发生的可逐条选择本年度日期后复制。`));
  if (result.reminders.length) {
    host.appendChild(reminderList(result, null, null));
  } else {
    host.appendChild(el("p", "上一年度没有记录扣分、奖励或等级限制情形。"));
  }
  host.appendChild(comparison(result.before, result.after));
  const actions = el("p", undefined, "gm-carry-actions");
  const accept = el("button", "结转到本年度", "md-button md-button--primary");
  const cancel = el("button", "取消", "md-button");
  accept.type = cancel.type = "button";
  actions.append(accept, " ", cancel);
  host.appendChild(actions);
  heading.focus();
  return new Promise((resolve) => {
    const done = (value) => {
      host.hidden = true;
      host.replaceChildren();
      resolve(value);
    };
    accept.addEventListener("click", () => done(true), { once: true });
    cancel.addEventListener("click", () => done(false), { once: true });
  });
}

/** After acceptance: the reminders, each occurrence copyable into this year, and the comparison. */
export function showReminders(host, result, copy) {
  const heading = panel(host, `${result.before.year} 年度的记录（提醒，不计入本年度）`);
  host.appendChild(el("p", `以下是上一年度记录的情形，已对应到 ${result.after.year} 年度的条目编号，仅供核对。` +
    "确属本年度发生的，请选择本年度的日期后复制到表格中。"));
  const status = el("p", "", "gm-carry-status");
  status.setAttribute("role", "status");
  if (result.reminders.length) host.appendChild(reminderList(result, copy, status));
  else host.appendChild(el("p", "上一年度没有记录扣分、奖励或等级限制情形。"));
  host.appendChild(status);
  host.appendChild(comparison(result.before, result.after));
  const close = el("button", "关闭提醒", "md-button");
  close.type = "button";
  close.addEventListener("click", () => {
    host.hidden = true;
    host.replaceChildren();
  }, { once: true });
  const actions = el("p", undefined, "gm-carry-actions");
  actions.appendChild(close);
  host.appendChild(actions);
  heading.focus();
}

/** The earlier year a file is for, when it is this standard's and older than this page's year. */
export function earlierYear(content, standard, year) {
  try {
    const value = JSON.parse(content);
    if (value && value.standard === standard && Number.isInteger(value.year) && value.year < year) return value.year;
  } catch {
    // not JSON: the ordinary check reports it
  }
  return null;
}
