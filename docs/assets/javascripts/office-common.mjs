// Shared by the district office's pages (office/ and office/plan/): building DOM from data with
// textContent only, the status line, problem texts, downloads.
//
// Rules these pages keep (a Content-Security-Policy without 'unsafe-inline' is coming):
//   - no innerHTML anywhere: every text from a file or a user goes in through textContent;
//   - no inline scripts or handlers: pages load modules with <script type="module" src>;
//   - every figure shown comes from the scorer in the worker, never from arithmetic here.

export const SITE_ROOT = new URL("../../", import.meta.url);

/** An element with attributes and children; strings become text nodes (never parsed as HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element; `text` is set with textContent. */
export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (key === "text") node.textContent = value;
    else if (key === "className") node.setAttribute("class", value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

/**
 * Follow the worker's start-up on a `data-testid="scorer-status"` element (data-state loading|ready|error).
 * An error is final for the start-up: the worker's later progress messages ("正在导入评分程序…") never
 * replace a reason the page found first (a missing data file), which left a page "loading" for ever.
 */
export function statusLine(element) {
  const text = element.querySelector(".gmo-status-text");
  return (state, message) => {
    if (state === "loading" && element.dataset.state === "error") return;
    element.dataset.state = state;
    text.textContent = message;
  };
}

const FIELD_NAMES = {
  date: "日期", count: "次数", note: "说明", evidence: "佐证材料", file: "文件名", location: "存放位置",
  sha256: "校验值", format: "格式版本", standard: "评价标准", year: "年度", standard_hash: "标准内容哈希",
  organization: "党组织", name: "名称", kind: "类别", assessor: "自评人", items: "记录",
  first: "任期首年", last: "任期末年", share: "每年检查比例", from_year: "起始年度", seed: "随机种子",
  inspected: "已检查名单", organizations: "党组织名单", term: "任期",
};

function pointer(path) {
  return path ? path.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")) : [];
}

/** Where a problem is, in words: "POL-01a 第 2 次记录的次数", "第 3 行第 2 列". */
export function where(problem) {
  if (problem.line) return `第 ${problem.line} 行${problem.column ? `第 ${problem.column} 列` : ""}`;
  const parts = pointer(problem.path);
  if (!parts.length) return "";
  if (parts[0] === "items" && parts.length >= 2) {
    let words = parts[1];
    if (parts.length >= 3) words += ` 第 ${Number(parts[2]) + 1} 次记录`;
    const last = parts[parts.length - 1];
    if (parts.length >= 4 && Object.hasOwn(FIELD_NAMES, last)) words += `的${FIELD_NAMES[last]}`;
    return words;
  }
  if (parts[0] === "organization") return parts[1] === "kind" ? "党组织类别" : "党组织名称";
  // Object.hasOwn: a user's key "__proto__" or "constructor" is a key, not Object's prototype.
  return parts.map((p) => (Object.hasOwn(FIELD_NAMES, p) ? FIELD_NAMES[p] : /^\d+$/.test(p) ? `第 ${Number(p) + 1} 项` : p)).join(" ");
}

export function describeProblem(problem) {
  const place = where(problem);
  return place ? `${place}：${problem.message}` : problem.message;
}

export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** CSV text from the scorer (it carries the byte-order mark Excel needs) as a downloadable Blob. */
export function csvBlob(text) {
  return new Blob([text], { type: "text/csv;charset=utf-8" });
}

/** A message box: heading, optional list, kind info|warning|error. */
export function showMessage(box, kind, heading, lines = []) {
  box.className = `gmo-alert gmo-alert--${kind}`;
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  const parts = [el("p", { className: "gmo-alert-head", text: heading })];
  if (lines.length) parts.push(el("ul", {}, lines.map((line) => el("li", { text: line }))));
  box.replaceChildren(...parts);
  box.hidden = false;
}

export function hideMessage(box) {
  box.hidden = true;
  box.replaceChildren();
}

/** Run `work` with the button disabled and a busy label; errors go to `onError`. */
export async function busyButton(button, label, work, onError) {
  const original = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    await work();
  } catch (error) {
    onError(error);
  } finally {
    button.disabled = false;
    button.textContent = original;
  }
}

/** sessionStorage key: organizations handed from office/ to office/plan/ in the same tab. */
export const HANDOVER_KEY = "gm-office-organizations";
