// Feedback (反馈) opened on the organization's own assessment page: the gm-feedback/1 file the office
// sent is read by the scorer (`read_files`, then `feedback_read`: checked against this page's standard,
// and its final result recomputed from the review and self-assessment it carries, never taken from
// the file), and shown here: each change the review made with its reason, item by item, and the final
// result with its receipt. Nothing here touches the form or the draft: opening feedback changes nothing.
// A feedback carrying the organization's rectification list (issue #16) shows the list too, with the
// way to the rectification page (assess/rectification/), which opens the same file; the link hands
// the file over to it (sessionStorage, this tab only) so the organization need not choose it again.

import { readThrough } from "./file-bytes.mjs";
import { describeProblem } from "./problems.mjs";
import { el } from "./dom.mjs";
import { SITE_ROOT } from "./site.mjs";

/** sessionStorage key under which a feedback file is handed to the rectification page. */
export const HANDOFF_KEY = "gm-rectification-handoff";
const RECTIFICATION_PAGE = new URL("assess/rectification/", SITE_ROOT).href;

/** The rectification list the feedback carries (`feedback_read`'s `rectification`), or nothing. */
function rectificationList(carried, handoff) {
  if (!carried) return [];
  const heads = ["编号", "问题", "整改措施", "责任人", "整改期限"];
  const cell = (i, text) => el("td", { dataset: { label: heads[i] } }, text); // the label heads a cell on phones
  const rows = carried.items.map((item) => el("tr", {},
    cell(0, item.id), cell(1, item.problem_text), cell(2, item.measure), cell(3, item.responsible), cell(4, item.deadline)));
  const link = el("a", { href: RECTIFICATION_PAGE, className: "gmo-button gmo-button--primary", "data-testid": "feedback-rectification-link" },
    "填报整改进展");
  link.addEventListener("click", handoff);
  return [
    el("h3", {}, `整改清单（${carried.items.length} 项）`),
    el("p", {}, `清单下发于 ${carried.list.issued}${carried.list.office ? `，${carried.list.office}` : ""}。`
      + "点“填报整改进展”即在整改情况报告页打开本反馈文件，逐项填报进展后导出报告报送领导小组办公室。"),
    el("div", { className: "gm-feedback-rect" }, el("table", { className: "gm-feedback-rect-table", "data-testid": "feedback-rectification" },
      el("caption", {}, "领导小组办公室下发的整改事项"),
      el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows))),
    el("p", {}, link),
  ];
}

function refused(box, name, problems) {
  box.replaceChildren(
    el("h2", { id: "gm-feedback-title" }, "反馈文件未打开"),
    el("p", {}, `文件“${name}”不能在本页打开：`),
    el("ul", {}, problems.map((p) => el("li", {}, describeProblem(p)))));
  box.dataset.state = "refused";
}

/** The feedback as the page shows it (`feedback_read`'s answer). */
export function showFeedback(box, answer, handoff = () => {}) {
  const r = answer.result;
  const self = r.self_declared;
  const changes = r.changes.length
    ? el("ol", { className: "gm-feedback-changes", "data-testid": "feedback-changes" }, r.changes.map((c) => el("li", {}, c.line)))
    : el("p", {}, "核查结论与自评一致，没有改动。");
  box.replaceChildren(...[
    el("h2", { id: "gm-feedback-title" }, `评议反馈：${answer.organization}`),
    el("p", {}, [answer.office, answer.issued ? `${answer.issued} 印发` : ""].filter(Boolean).join("，") || "（未注明发出单位）"),
    el("p", { className: "gm-feedback-figures" },
      "自评：", el("strong", {}, self ? `${self.total} 分，${self.grade.name}` : "未提交"), "　最终：",
      el("strong", { "data-testid": "feedback-final" }, r.grade ? `${r.total} 分，${r.grade.name}` : "无法评定"),
      `　评议方式：${r.method_name}`),
    r.qualitative ? el("p", {}, `定性评价：${r.qualitative.name}${r.qualitative.text ? `。${r.qualitative.text}` : ""}`) : null,
    el("h3", {}, "核查对自评的改动及理由"),
    changes,
    el("details", {}, el("summary", {}, "最终结果的计算过程"), el("ol", {}, r.receipt.map((line) => el("li", {}, line)))),
    r.sample ? el("p", { className: "gm-muted" }, "本年度评议规则为示例值。") : null,
    ...rectificationList(answer.rectification, handoff),
  ].filter(Boolean));
  box.dataset.state = "shown";
}

/**
 * Wire the "打开反馈文件" control. scorer: the page's client; bundleText(): this page's published
 * standard as JSON text once the scorer is ready (null before).
 */
export function wireFeedback({ input, box, scorer, bundleText }) {
  input.addEventListener("change", async () => {
    const [file] = input.files;
    input.value = "";
    if (!file) return;
    box.hidden = false;
    box.replaceChildren(el("p", { id: "gm-feedback-title" }, `正在打开反馈文件“${file.name}”……`));
    try {
      await scorer.ready;
      const [read] = await readThrough(scorer, "json", [file]);
      if (read.problems) { refused(box, file.name, read.problems); return; }
      const bundle = bundleText();
      if (!bundle) throw new Error("评分程序尚未就绪，请稍后再试。");
      const answer = await scorer.call("feedback_read", bundle, read.text);
      if (!answer.ok) { refused(box, file.name, answer.problems); return; }
      const handoff = () => {
        try { sessionStorage.setItem(HANDOFF_KEY, JSON.stringify({ name: file.name, text: read.text })); } catch { /* the page there asks for the file */ }
      };
      showFeedback(box, answer.result, handoff);
    } catch (error) {
      refused(box, file.name, [{ message: (error && error.message) || String(error) }]);
    }
    box.focus();
  });
}
