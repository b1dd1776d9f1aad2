// Service worker of the Guangming duty portal: the self-assessment keeps working with the network off.
//
// Registered by the self-assessment pages (offline.mjs) with the site root as its scope. On install
// it stores, in one cache named after the build, everything the in-browser scorer needs: the Pyodide
// runtime, the wheels and their manifest, the scripts, the published data, the assessment pages, the
// pages they link to and the offline page.
//   - runtime files and data (the precache list): cache first. They change only with a new build, and
//     a new build is a new cache, so a page never mixes files of two builds;
//   - pages (navigations): network first, the cached copy when the network is down.
// BUILD below is written by the site build (sitebuild/offline.py): a new site version changes
// this file's bytes, so browsers install the new worker, which replaces the old cache. Files whose
// content did not change (`rev`) are copied from the old cache instead of being downloaded again.

const BUILD = {"version": "dev", "precache": []}; // replaced at build time

const PREFIX = "gm-offline-";
const CACHE = PREFIX + BUILD.version;
const SCOPE = new URL(self.registration.scope);
const REVISIONS = new URL("__gm-precache-revisions.json", SCOPE).href; // url -> rev of what a cache holds
const PRECACHED = new Set(BUILD.precache.map(([path]) => new URL(path, SCOPE).pathname));
const ENABLED = BUILD.version !== "dev"; // `docs/sw.js` as written, never built: do nothing

async function revisions(cache) {
  const found = await cache.match(REVISIONS);
  try {
    return found ? await found.json() : {};
  } catch {
    return {};
  }
}

// Store every listed file. Unchanged files (same revision) are copied from the previous build's cache;
// the rest are fetched by the browser itself (cache.addAll), so no body passes through this script.
async function precache() {
  const cache = await caches.open(CACHE);
  const held = await revisions(cache);
  const older = [];
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE) {
      const old = await caches.open(name);
      older.push({ cache: old, revisions: await revisions(old) });
    }
  }
  const wanted = {};
  const missing = [];
  for (const [path, rev] of BUILD.precache) {
    const url = new URL(path, SCOPE).href;
    wanted[url] = rev;
    if (held[url] === rev && (await cache.match(url))) continue;
    let copied = false;
    for (const old of older) {
      if (old.revisions[url] !== rev) continue;
      const response = await old.cache.match(url);
      if (response) {
        await cache.put(url, response);
        copied = true;
        break;
      }
    }
    if (!copied) missing.push(new Request(url, { cache: "no-cache" }));
  }
  await cache.addAll(missing); // all or nothing: a failed download fails the install, the old worker stays
  await cache.put(REVISIONS, new Response(JSON.stringify(wanted), { headers: { "Content-Type": "application/json" } }));
}

self.addEventListener("install", (event) => {
  if (!ENABLED) return;
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// HEAD (the worker checks the .wasm's type with one) is answered from the cached GET's headers.
function answer(request, cached) {
  if (request.method !== "HEAD") return cached;
  return new Response(null, { status: cached.status, statusText: cached.statusText, headers: cached.headers });
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request.url, { ignoreSearch: true });
  if (cached) return answer(request, cached);
  return fetch(request);
}

// While offline, a page this worker never stored gets the site's own offline page (docs/offline.md,
// precached): styled, in Chinese, with links to the pages that do work offline. It is served at the
// address asked for, so a reload once the network is back shows the real page; a <base> makes its
// relative links and stylesheets resolve as they do at its own address.
const OFFLINE_PAGE = new URL("offline/", SCOPE).href; // sitebuild/offline.py OFFLINE_PAGE

async function offlinePage(cache) {
  const stored = await cache.match(OFFLINE_PAGE);
  const text = stored ? await stored.text() : null;
  const start = /<meta charset=[^>]*>|<head[^>]*>/i; // <base> before any URL the page holds
  const body = text && start.test(text)
    ? text.replace(start, (tag) => `${tag}<base href="${OFFLINE_PAGE}">`)
    : "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>当前没有网络连接</title>" +
      `<p>当前没有网络连接，且本页尚未保存到本机。请连接网络后刷新页面。<a href="${SCOPE.href}">返回首页</a></p>`;
  return new Response(body, { status: 503, statusText: "Offline", headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request.url, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(request.url, { ignoreSearch: true }))
      || (await cache.match(new URL("index.html", request.url).href, { ignoreSearch: true }));
    return cached || offlinePage(cache);
  }
}

self.addEventListener("fetch", (event) => {
  if (!ENABLED) return;
  const request = event.request;
  if (request.method !== "GET" && request.method !== "HEAD") return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  } else if (PRECACHED.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
