// The self-assessment landing page (assess/): a year chooser over the year sections (all of them are
// shown without JavaScript), a note on each standard that has a draft waiting in this browser, and
// the service worker, so the forms work offline once this page has been opened.

import { formatSaved, listDrafts } from "./assess-draft.mjs";
import { registerOffline } from "./offline.mjs";

const root = document.getElementById("gm-assess-index");
const sections = Array.from(root.querySelectorAll(".gm-assess-year"));
const chooser = document.getElementById("gm-year-choice");
const select = document.getElementById("gm-year-select");

function show(year) {
  for (const section of sections) section.hidden = section.dataset.year !== String(year);
}

if (sections.length > 1 && select) {
  chooser.hidden = false;
  show(select.value || root.dataset.defaultYear);
  select.addEventListener("change", () => show(select.value));
}

for (const draft of listDrafts()) {
  const note = root.querySelector(`[data-draft-note="${draft.year}:${draft.standard}"]`);
  if (!note) continue;
  note.textContent = `本机有未完成的草稿${draft.saved ? `（上次保存：${formatSaved(draft.saved)}）` : ""}，打开后自动恢复。`;
  note.hidden = false;
}

// After the page has settled: storing the runtime must not slow down reading this page.
window.addEventListener("load", () => {
  const later = window.requestIdleCallback || ((fn) => setTimeout(fn, 1000));
  later(() => registerOffline());
});
