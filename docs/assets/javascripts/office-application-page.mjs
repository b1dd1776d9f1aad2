// What the results application pages (office/application/, office/rectification/) share beyond the
// start every office year page makes (office-year.mjs `startYearPage`): the year's settings,
// downloads of the scorer's `application_export` tables, the organization blocks' groups and the
// guarded save of a change shown. One place, so the two pages export and save the same way.

import { download, el } from "./dom.mjs";
import { XLSX_TYPE, base64Bytes, csvBlob } from "./export-files.mjs";
import { describeProblem } from "./problems.mjs";
import { busyButton, showMessage } from "./office-common.mjs";

export const problemsOf = (answer) => answer.problems.map(describeProblem);

/** The year's application settings (`application_settings` of its first bundle), or an Error. */
export async function yearSettings(scorer, panel) {
  const answer = await scorer.call("application_settings", JSON.stringify(JSON.parse(panel.bundles)[0]));
  if (!answer.ok) throw new Error(problemsOf(answer).join("；"));
  return answer.result;
}

/** Download one `application_export` table (kind: proposals-xlsx, rectification-csv, ...) as `stem`.xlsx/.csv. */
export async function exportTable({ scorer, panel, workspace, kind, asOf, stem, button, box }) {
  await busyButton(button, "正在生成……", async () => {
    const answer = await scorer.call("application_export", kind, panel.bundles, panel.textOf(workspace), asOf);
    if (!answer.ok) throw new Error(problemsOf(answer).join("；"));
    if (kind.endsWith("xlsx")) download(new Blob([base64Bytes(answer.result.base64)], { type: XLSX_TYPE }), `${stem}.xlsx`);
    else download(csvBlob(answer.result.text), `${stem}.csv`);
  }, (error) => showMessage(box, "error", "导出失败：", [error.message || String(error)]));
}

/** How many organizations' blocks share one block laid out only near the screen (`chunks`). */
export const CHUNK = 25;

/**
 * The district's organization blocks in groups of `CHUNK`, each group a block the browser lays out
 * and paints only when near the screen (`content-visibility: auto`, application.css `.gmo-chunk`).
 * Why groups and not each organization: every frame the browser checks each such block against the
 * screen and walks it; with 1000 of them that was ~6 ms of each frame, twice on the path of one
 * change (the busy button, then the change drawn). A change still lays out one group only.
 */
export function chunks(blocks) {
  const out = [];
  for (let i = 0; i < blocks.length; i += CHUNK) out.push(el("div", { className: "gmo-chunk" }, blocks.slice(i, i + CHUNK)));
  return out;
}

let saving = 0;

function askBeforeLeaving(event) {
  event.preventDefault();
  event.returnValue = "";
}

/**
 * Save `next` through the panel (`panel.commit`, announce: false) with leaving the page guarded until
 * the save settles: a change is shown before the scorer has checked its records and the year is
 * stored (`application_save`, a few hundred ms for a year of 1000 organizations), and a reload or a
 * closed tab in that time would lose it; the browser asks first instead. Resolves as `panel.commit`.
 */
export async function saveShown(panel, next) {
  saving += 1;
  if (saving === 1) window.addEventListener("beforeunload", askBeforeLeaving);
  try {
    // The shown change is painted first, a frame ahead: the save sends the stored year (9 MB for
    // 1000 organizations) to the worker and stores the text it returns, tens of ms of this thread.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));
    return await panel.commit(next, { announce: false });
  } finally {
    saving -= 1;
    if (saving === 0) window.removeEventListener("beforeunload", askBeforeLeaving);
  }
}
