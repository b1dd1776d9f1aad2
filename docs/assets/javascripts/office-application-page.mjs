// What the results application pages (office/application/, office/rectification/) share: the scorer
// started with its status line, the year's workspace panel, and downloads of the scorer's
// `application_export` tables. One place, so the two pages start and export the same way.

import { startScorer } from "./scorer-client.mjs";
import { download } from "./dom.mjs";
import { XLSX_TYPE, base64Bytes, csvBlob } from "./export-files.mjs";
import { describeProblem } from "./problems.mjs";
import { statusLine } from "./startup.mjs";
import { busyButton, showMessage } from "./office-common.mjs";
import { workspacePanel } from "./office-year.mjs";

export const problemsOf = (answer) => answer.problems.map(describeProblem);

/** The scorer, the status line of `root` and the workspace panel (onChange gets each new workspace). */
export function startPage(root, onChange) {
  const scorer = startScorer();
  const setStatus = statusLine(root.querySelector('[data-testid="scorer-status"]'), ".gmo-status-text");
  scorer.onStatus((event) => {
    if (event.state === "error") setStatus("error", event.message);
    else if (event.state !== "ready") setStatus("loading", event.message || "正在启动评分程序……");
  });
  const panel = workspacePanel({ scorer, section: root.querySelector("#gmo-workspace"), onChange });
  return { scorer, setStatus, panel };
}

/** The year's application settings (`application_settings` of its first bundle), or an Error. */
export async function yearSettings(scorer, panel) {
  const answer = await scorer.call("application_settings", JSON.stringify(JSON.parse(panel.bundles)[0]));
  if (!answer.ok) throw new Error(problemsOf(answer).join("；"));
  return answer.result;
}

/** Download one `application_export` table (kind: proposals-xlsx, rectification-csv, ...) as `stem`.xlsx/.csv. */
export async function exportTable({ scorer, panel, workspace, kind, asOf, stem, button, box }) {
  await busyButton(button, "正在生成……", async () => {
    const answer = await scorer.call("application_export", kind, panel.bundles, JSON.stringify(workspace), asOf);
    if (!answer.ok) throw new Error(problemsOf(answer).join("；"));
    if (kind.endsWith("xlsx")) download(new Blob([base64Bytes(answer.result.base64)], { type: XLSX_TYPE }), `${stem}.xlsx`);
    else download(csvBlob(answer.result.text), `${stem}.csv`);
  }, (error) => showMessage(box, "error", "导出失败：", [error.message || String(error)]));
}
