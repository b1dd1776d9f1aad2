// Register the site's service worker (sw.js at the site root), so the scoring pages work offline
// after one visit. The root is found from this file's own URL: the site may live under any base path.
//
// Resolves with a short Chinese note for the page ("本页已可离线使用") or null when the browser has no
// service workers (plain http on another host than localhost, old browsers): the page works online.

import { SITE_ROOT as ROOT } from "./site.mjs";

export async function registerOffline() {
  if (!("serviceWorker" in navigator)) return null;
  try {
    await navigator.serviceWorker.register(new URL("sw.js", ROOT), { scope: ROOT.pathname });
    await navigator.serviceWorker.ready; // active: everything is stored
    return "本页已可离线使用";
  } catch (error) {
    console.warn("[offline] service worker not registered:", error);
    return null;
  }
}
