// Shared by the district office's pages (office/ and office/plan/): message boxes, busy buttons, and
// the key by which office/ hands organizations to office/plan/. (Building DOM: dom.mjs; problems in
// words: problems.mjs; downloads: export-files.mjs; the start-up: startup.mjs.)
//
// Rules these pages keep (a Content-Security-Policy without 'unsafe-inline' is coming):
//   - no innerHTML anywhere: every text from a file or a user goes in through textContent;
//   - no inline scripts or handlers: pages load modules with <script type="module" src>;
//   - every figure shown comes from the scorer in the worker, never from arithmetic here.

import { el } from "./dom.mjs";

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
