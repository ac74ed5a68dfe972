// The web app's service worker: the shell from the network when it answers, else from the cache;
// Background Sync delivers the outbox where the browser has it (the page retries where it has not).
import {flush} from "/static/js/app/outbox.js";
import {getMeta} from "/static/js/app/db.js";

const CACHE = "tracker-shell-v4";  // the cache of the shell; session.js clears it on a 401
const SHELL = ["/app/", "/app/manifest.webmanifest", "/static/css/palette.css", "/static/css/webapp.css",
  "/static/favicon.svg", "/static/app/icon-192.png", "/static/app/icon-512.png",
  "/static/js/app/actions.js", "/static/js/app/app.js", "/static/js/app/calendar.js",
  "/static/js/app/cards.js", "/static/js/app/comments.js", "/static/js/app/db.js",
  "/static/js/app/mydata.js", "/static/js/app/outbox.js", "/static/js/app/session.js", "/static/js/app/time/away.js",
  "/static/js/app/time/clock.js", "/static/js/app/time/idle.js", "/static/js/app/time/presence.js",
  "/static/js/app/time/tabs.js", "/static/js/app/time/timer.js", "/static/js/app/time/timerlog.js",
  "/static/js/app/view.js", "/static/js/app/week.js", "/static/js/shared/copy.js", "/static/js/shared/dom.js",
  "/static/js/shared/http.js", "/static/js/shared/push.js", "/static/js/shared/thread.js",
  "/static/js/shared/ui.js", "/static/js/shared/words.js", "/static/js/shared/i18n.js",
  "/static/js/shared/catalog.js", "/static/js/shared/zones.js"];

/** Only real answers: a shell redirected to /login (a session that just ended) is not kept. */
async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(SHELL.map(async (url) => {
    const response = await fetch(url, {credentials: "same-origin", cache: "no-cache"});
    if (response.ok && !response.redirected) await cache.put(url, response);
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

function isShell(url) {  // the reader's catalog (/i18n/<lang>.json) too: offline, still their words
  return url.origin === location.origin && (url.pathname.startsWith("/static/") || url.pathname.startsWith("/i18n/")
    || url.pathname === "/app/" || url.pathname === "/app/manifest.webmanifest");
}

/** Network first (a new version shows at once), the cached copy when the server is away. */
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.redirected) {  // not /login for /app/
      const url = new URL(request.url);
      await cache.put(url.pathname === "/app/" ? "/app/" : request, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await cache.match(request, {ignoreSearch: true});
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !isShell(url)) return;  // the API is never cached here
  event.respondWith(networkFirst(event.request));
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil((async () => {
    const userId = await getMeta("current");
    if (userId === undefined) return;
    const outcome = await flush(userId);
    for (const client of await self.clients.matchAll()) client.postMessage({outbox: outcome});
    if (outcome === "retry") throw new Error("server unavailable; the browser retries later");
  })());
});
