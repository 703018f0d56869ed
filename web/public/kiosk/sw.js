// The kiosk's service worker: the page and its hashed assets are kept so the
// tablet starts without a network; recordings are kept once heard. The API
// (ratings, heartbeats, configuration) always goes to the network: ratings
// wait in IndexedDB, not here.
const CACHE = 'mscore-kiosk-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(['/kiosk/'])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  const keep = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  const own = keep.filter((u) => typeof u === 'string' && new URL(u).origin === self.location.origin);
  if (own.length) event.waitUntil(caches.open(CACHE).then((c) => c.addAll(own)));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/kiosk/v1/audio/')) {
    event.respondWith(cacheFirst(event.request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(event.request));
  } else if (url.pathname === '/kiosk/' || url.pathname === '/kiosk/index.html') {
    // The page: the kept copy at once (a tablet on a slow line starts without
    // waiting), refreshed behind it; a new version shows at the next start.
    const fresh = fetch(event.request).then((res) => {
      if (res.ok) {
        const copy = res.clone();
        event.waitUntil(caches.open(CACHE).then((c) => c.put('/kiosk/', copy)));
      }
      return res;
    });
    event.respondWith(caches.match('/kiosk/').then((kept) => kept || fresh));
    event.waitUntil(fresh.catch(() => undefined));
  }
});

async function cacheFirst(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) {
    const copy = res.clone();
    caches.open(CACHE).then((c) => c.put(request, copy));
  }
  return res;
}
