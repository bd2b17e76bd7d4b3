/* Service worker of the offline survey (served from /fieldwork/sw.js so that its scope is /fieldwork/).
 *
 * The survey page: network first, the cached copy when there is no network (or the session has ended).
 * Static files: the cached copy first. The API is never cached: answers wait in the page's IndexedDB queue.
 */
const CACHE = "ansinh-survey-v1";
const STATIC = "__STATIC__";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("ansinh-survey-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/fieldwork/survey/")) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
            return response;
          }
          return caches.match(url.pathname).then((cached) => cached || response);
        })
        .catch(() => caches.match(url.pathname).then((cached) => cached || Response.error())),
    );
  } else if (url.pathname.startsWith(STATIC)) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  }
});
