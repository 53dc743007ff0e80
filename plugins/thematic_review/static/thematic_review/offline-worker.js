// The family conversations offline: a service worker for the thematic review's pages
// (served from /thematic_review/, so that is its scope).
//
// The review page's "Prepare for offline use" (offline.js) puts the review's page, its
// conversation pages and what they load (CSS, scripts) in the cache CACHE. For a GET the cache holds,
// this worker asks the network first and keeps the fresh copy (a new CSRF token, the
// latest script); when there is no connection it answers from the cache, so the page opens,
// reloads and reopens offline. Anything the cache does not hold goes to the network as if
// there were no worker. POSTs are never touched: capture.js keeps a conversation on the
// device until the portal has answered, and the portal keeps one per key.

const CACHE = "thematic_review.offline.v1";

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

async function networkElseCache(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (!kept) return fetch(request);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.redirected) {
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch {
    return kept; // offline, or the connection dropped: the copy prepared on this device
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(networkElseCache(request));
});
