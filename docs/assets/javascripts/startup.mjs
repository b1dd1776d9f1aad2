// The start-up sequence every scoring page follows (the self-assessment, the office, the plan):
// the worker's progress on the status line, then "ready" (or the reason it could not start), then
// offline support, registered only after the start so its downloads never compete with the scorer's.

import { registerOffline } from "./offline.mjs";

/**
 * Follow the start-up on a `data-testid="scorer-status"` element (data-state loading|ready|error),
 * whose message goes into its `textSelector` child. An error is final for the start-up: the worker's
 * later progress messages never replace a reason the page found first (a missing data file), which
 * left a page "loading" for ever.
 */
export function statusLine(element, textSelector) {
  const text = element.querySelector(textSelector);
  return (state, message) => {
    if (state === "loading" && element.dataset.state === "error") return;
    element.dataset.state = state;
    text.textContent = message;
  };
}

/**
 * Run the sequence. whenReady: the scorer and whatever else the page needs before it can score;
 * loading(message): the status line while the worker starts (its progress message, or undefined);
 * ready: the ready text; offline(note): the ready text once the page also works offline.
 * onReady, onError(error), onSettled: the page's own steps. Returns {ready}: whether it started.
 */
export function startUp({ scorer, setStatus, whenReady, loading, ready, offline, onReady, onError, onSettled }) {
  const started = { ready: false };
  scorer.onStatus((event) => {
    if (event.state === "error") setStatus("error", event.message);
    else if (event.state !== "ready" && !started.ready) setStatus("loading", loading(event.message));
  });
  whenReady.then(() => {
    started.ready = true;
    setStatus("ready", ready);
    if (onReady) onReady();
  }, (error) => {
    setStatus("error", error.message || String(error));
    if (onError) onError(error);
  }).finally(() => {
    if (onSettled) onSettled();
    registerOffline().then((note) => {
      if (started.ready && note) setStatus("ready", offline(note));
    });
  });
  return started;
}
