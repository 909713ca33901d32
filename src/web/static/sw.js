// SPDX-License-Identifier: EUPL-1.2
// The service worker of bereik, served at /sw.js (scope "/") after the lines the server
// writes before it: SHELL, the hashed names of every static file, and SHELL_PLAIN, each
// plain name with its hashed one.
//  - the app shell (stylesheet, script, manifest, icons) is cached when the worker
//    installs and served from the cache, so that it loads without a network;
//  - Registreren and Mijn week are kept when the worker installs (if logged in) and each
//    time they load online, and served from the cache when the network is down (the page
//    then shows its "offline" note);
//  - a registration form sent while the request fails waits in IndexedDB, as the page
//    script (js/50-offline.js) keeps one: with a random idempotency key.
'use strict';

const VERSION = (() => {
  let h = 0;
  for (const c of SHELL.join(',')) h = (h * 31 + c.charCodeAt(0)) | 0;
  return (h >>> 0).toString(16);
})();
const CACHE = `bereik-${VERSION}`;
const PAGES = ['/registreren', '/week'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(async (cache) => {
        await cache.addAll(SHELL);
        // the two pages too, when the browser is logged in already (else on their first visit)
        for (const p of PAGES) {
          try {
            const response = await fetch(p, { credentials: 'same-origin' });
            if (response.ok && !response.redirected) await cache.put(p, response);
          } catch {
            /* offline while installing: kept on the first visit */
          }
        }
      })
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const current = await caches.open(CACHE);
      for (const name of await caches.keys()) {
        if (name === CACHE || !name.startsWith('bereik-')) continue;
        // the pages kept by the previous version stay available offline
        const old = await caches.open(name);
        for (const p of PAGES) {
          const hit = await old.match(p);
          if (hit && !(await current.match(p))) await current.put(p, hit);
        }
        await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// /static/app.1a2b3c4d5e6f.css -> the current hashed name of app.css (a page kept by an
// older version links older names)
function currentName(pathname) {
  const m = pathname.match(/^\/static\/(.+)\.[0-9a-f]{12}(\.[a-z]+)$/);
  const plain = m ? `/static/${m[1]}${m[2]}` : pathname;
  return SHELL_PLAIN[plain] || pathname;
}

async function staticFile(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const hit = (await cache.match(url.pathname)) || (await cache.match(currentName(url.pathname)));
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && /\.[0-9a-f]{12}\.[a-z]+$/.test(url.pathname)) await cache.put(url.pathname, response.clone());
  return response;
}

async function page(request, pathname) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // only the page itself, as the user's session shows it (not a login redirect)
    if (response.ok && !response.redirected && new URL(request.url).search === '') {
      await cache.put(pathname, response.clone());
    }
    return response;
  } catch (e) {
    const hit = await cache.match(pathname);
    if (hit) return hit;
    throw e;
  }
}

// ---- the waiting registrations (the same store as js/50-offline.js) ----

function openQueue() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('bereik-offline', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('queue', { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function keep(fields) {
  const db = await openQueue();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('queue', 'readwrite');
    tx.objectStore('queue').put({ key: self.crypto.randomUUID(), fields, created: Date.now(), state: 'waiting' });
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

// The form sent while the network fails: kept on the device, then the form again.
async function registerPost(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (e) {
    const data = await copy.formData();
    const fields = [];
    for (const [k, v] of data.entries()) if (k !== 'csrf' && typeof v === 'string') fields.push([k, v]);
    await keep(fields);
    return Response.redirect('/registreren?bewaard-op-toestel=1', 303);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && request.mode === 'navigate' && url.pathname === '/registreren') {
    event.respondWith(registerPost(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(staticFile(request));
  } else if (request.mode === 'navigate' && PAGES.includes(url.pathname)) {
    event.respondWith(page(request, url.pathname));
  }
});
