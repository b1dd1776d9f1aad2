// Carry an earlier year's self-assessment forward into this year's form (assess/<year>/<standard>/).
//
// The scorer does the work (`carry`: answers move by id, what changed is listed for review, and the
// same answers are scored under both years' criteria); this module only shows the result side by side
// and asks before anything replaces the current draft. All text goes in with textContent.

const AREA_ORDER = ["political", "ideological", "organizational", "conduct", "discipline", "institutional"];
const STATUS_TEXT = {
  renamed: "指标已更名或替换，答案已移到新条目",
  moved: "所属领域已调整",
  changed: "内容或分值已修改，请核对",
  removed: "本年度已删除，答案未结转",
};

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function comparison(before, after) {
  const table = el("table", undefined, "gm-carry-compare");
  const caption = el("caption", "同一套答案分别按两个年度的标准计分");
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
  for (const id of AREA_ORDER) {
    const a = old[id];
    const b = neu[id];
    if (!a && !b) continue;
    row((b || a).name, a ? `${a.score} / ${a.points}` : "—", b ? `${b.score} / ${b.points}` : "—");
  }
  row("奖励加分", `+${before.bonus}`, `+${after.bonus}`);
  row("总分", String(before.total), String(after.total));
  row("等级", before.grade.name, after.grade.name);
  return table;
}

/**
 * Show the carry-forward of `fileName` into the panel `host`; resolves true when the user accepts.
 * `result` is the scorer's carry answer: {assessment, review, before, after}.
 */
export function offerCarry(host, fileName, result) {
  host.replaceChildren();
  host.hidden = false;
  const heading = el("h2", `结转 ${result.before.year} 年度自评到 ${result.after.year} 年度`);
  heading.id = "gm-carry-title";
  heading.tabIndex = -1;
  host.appendChild(heading);
  host.appendChild(el("p", `文件“${fileName}”是按 ${result.before.year} 年度标准填写的。` +
    "答案按条目编号移到本年度的标准中；下列条目有变化，请结转后逐项核对。"));
  if (result.review.length) {
    const list = el("ul", undefined, "gm-carry-review");
    for (const entry of result.review) {
      const li = el("li");
      li.appendChild(el("span", entry.new_id && entry.new_id !== entry.id ? `${entry.id} → ${entry.new_id}` : entry.id, "gm-id"));
      li.appendChild(document.createTextNode(` ${entry.text}（${entry.count} 次）：${STATUS_TEXT[entry.status] || entry.status}`));
      list.appendChild(li);
    }
    host.appendChild(list);
  } else {
    host.appendChild(el("p", "所有答案对应的条目在本年度都没有变化。"));
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
