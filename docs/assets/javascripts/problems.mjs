// The scorer's problems in words (pure: no DOM). A problem is {source, path, message, line?, column?}:
// `path` is a JSON pointer into the file the scorer read ("/items/POL-01a/0/count"), or a line and
// column in its text (decoding, JSON syntax, a duplicate key, a CSV cell). Every page shows problems
// with these words, so one file's problem reads the same on the self-assessment, the office pages and
// the plan page.

/** The Chinese name of each key a problem's path may name (an assessment's, a plan request's). */
export const FIELD_NAMES = {
  date: "日期", count: "次数", note: "说明", evidence: "佐证材料", file: "文件名", location: "存放位置",
  sha256: "校验值", format: "格式版本", standard: "评价标准", year: "年度", standard_hash: "标准内容哈希",
  organization: "党组织", name: "名称", kind: "类别", assessor: "自评人", items: "记录",
  first: "任期首年", last: "任期末年", share: "每年检查比例", from_year: "起始年度", seed: "随机种子",
  inspected: "已检查名单", organizations: "党组织名单", term: "任期",
  // a rectification list, alone or in a feedback file (issue #16)
  rectification: "整改清单", item: "整改事项", problem: "问题编号", hash: "内容哈希", issued: "下发日期",
};

/** A JSON pointer's parts, unescaped (RFC 6901: ~1 is "/", ~0 is "~"); [] for the whole document. */
export function pointer(path) {
  return path ? path.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")) : [];
}

// Object.hasOwn: a user's key "__proto__" or "constructor" is a key, not Object's prototype.
const named = (key) => (Object.hasOwn(FIELD_NAMES, key) ? FIELD_NAMES[key] : null);

/** Where a problem is, in words ("POL-01a 第 2 次记录的次数", "第 3 行第 2 列"); "" for the whole file. */
export function where(problem) {
  if (problem.line) return `第 ${problem.line} 行${problem.column ? `第 ${problem.column} 列` : ""}`;
  const parts = pointer(problem.path);
  if (!parts.length) return "";
  // An assessment's items are keyed by item id; a list's (rectification, report) are an array.
  if (parts[0] === "items" && parts.length >= 2 && !/^\d+$/.test(parts[1])) {
    let words = parts[1];
    if (parts.length >= 3) words += ` 第 ${Number(parts[2]) + 1} 次记录`;
    if (parts[3] === "evidence" && parts.length >= 5) words += `的第 ${Number(parts[4]) + 1} 份佐证材料`;
    const last = parts[parts.length - 1];
    if (parts.length >= 4 && named(last) && !(last === "evidence" && parts.length >= 5)) words += `的${named(last)}`;
    return words;
  }
  if (parts[0] === "organization") return parts[1] === "kind" ? "党组织类别" : "党组织名称";
  if (parts[0] === "assessor") return parts[1] === "date" ? "自评日期" : "自评人";
  return parts.map((p) => named(p) || (/^\d+$/.test(p) ? `第 ${Number(p) + 1} 项` : p)).join(" ");
}

/**
 * A problem as one line: "where：message". `whole` names a problem with the whole file (no path, no
 * line): the self-assessment says "文件"; the office lists problems under the file's name already.
 */
export function describeProblem(problem, whole = "") {
  const place = where(problem) || whole;
  return place ? `${place}：${problem.message}` : problem.message;
}
