// The site's service worker: repeat visits from a cache the site controls, and reading
// offline. The build (site-build's `finish-site`) writes it to /sw.js with the lines above
// this one: VERSION (a digest of the files below, so every deploy that changes one is a new
// worker) and the lists of files, with Trunk's hashed names as they are in this build.
//
// - Files whose names carry a hash never change: served from the cache first.
// - Everything else (pages, the article Markdown and index) comes from the network
//   first, so a new deploy shows on the next visit; what arrives is kept for when there is
//   no signal. A page that was never read here shows the offline page instead, which lists
//   the articles that are saved.
// - Only GET requests from this site are handled: the booking POST, /api, /inbox, a client's
//   own booking page (/manage/<token>) and her diary feed (/diary/<secret>) always go straight
//   to the network, untouched. Nothing the server marks `no-store` is ever kept.

const CORE_CACHE = `core-${VERSION}`;
// Pages and article Markdown read on this phone: kept across deploys (each visit refreshes
// what it reads), so an update never takes away what someone saved to read on the Tube.
const READ_CACHE = 'read';
const OFFLINE_PAGE = '/offline.html';
const LIBRARY_INDEX = '/content/library.json';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CORE_CACHE);
      await cache.addAll(CORE);
      // The app is kept only if this browser already has it: a reader who never used a
      // control never downloaded it, and should not pay for it in the background. Once the
      // app is fetched, the fetch handler below keeps it.
      await Promise.all(
        APP.map((url) =>
          fetch(url, { cache: 'only-if-cached', mode: 'same-origin' })
            .then((response) => (response.ok ? cache.put(url, response) : undefined))
            .catch(() => undefined),
        ),
      );
      // A new deploy takes over at once: the pages it serves come from the network anyway.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('core-') && name !== CORE_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
      // The page that installed the worker loaded before it existed: keep it too, so the
      // first article someone reads is there on the Tube. (A revalidation: the browser has it.)
      const windows = await self.clients.matchAll({ type: 'window' });
      const pages = windows.map((client) => new URL(client.url)).filter(handled);
      await Promise.all(pages.map((url) => keepPage(url).catch(() => undefined)));
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!handled(url)) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(url));
  } else if (isHashed(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request, url));
  }
});

/**
 * The booking endpoint, the therapist's inbox and diary feed, and a client's booking page
 * (their name, address and times, behind a token) are never the worker's business.
 */
function handled(url) {
  return url.origin === self.location.origin && !/^\/(api|inbox|manage|diary)(\/|$)/.test(url.pathname);
}

/** A response the worker may keep: a whole answer from this site that the server allows to be stored. */
function keepable(response) {
  return response.ok && response.type === 'basic' && !/no-store/i.test(response.headers.get('Cache-Control') ?? '');
}

/** Trunk names what it builds `name-<hash>.ext` (as the receiver's `is_hashed_asset`). */
function isHashed(path) {
  const stem = path.split('/').pop().split('.')[0];
  return stem.split(/[-_]/).some((part) => /^[0-9a-f]{10,16}$/.test(part));
}

/** One entry per page however it was asked for: `/articles/x`, `/articles/x/`, `?utm=…`. */
function pageKey(url) {
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  return new Request(url.origin + path);
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (keepable(response)) {
    const copy = response.clone();
    caches.open(CORE_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

async function networkFirst(request, url) {
  const core = CORE.includes(url.pathname);
  const key = core ? request : pageKey(url);
  try {
    const response = await fetch(request);
    if (keepable(response)) {
      const copy = response.clone();
      caches.open(core ? CORE_CACHE : READ_CACHE).then((cache) => cache.put(key, copy));
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(key);
    if (cached) return cached;
    throw offline;
  }
}

async function page(url) {
  try {
    return await keepPage(url);
  } catch {
    return (await caches.match(pageKey(url))) ?? offlinePage();
  }
}

/** Fetches a page and keeps it to read offline: only real pages, never a not-found page. */
async function keepPage(url) {
  const response = await fetch(url.href);
  if (keepable(response) && !response.redirected) {
    const copy = response.clone();
    await caches.open(READ_CACHE).then((cache) => cache.put(pageKey(url), copy));
  }
  return response;
}

/** The offline page, listing the articles saved on this phone. */
async function offlinePage() {
  const [template, library, read] = await Promise.all([
    caches.match(OFFLINE_PAGE),
    caches.match(LIBRARY_INDEX).then((r) => (r ? r.json() : { articles: [] })).catch(() => ({ articles: [] })),
    caches.open(READ_CACHE).then((cache) => cache.keys()),
  ]);
  if (!template) return Response.error();
  const titles = new Map(library.articles.map((a) => [a.slug, a.title]));
  const saved = read
    .map((request) => new URL(request.url).pathname.match(/^\/articles\/([^/]+)$/)?.[1])
    .filter((slug) => slug !== undefined)
    .map((slug) => {
      const title = titles.get(slug) ?? slug.replace(/-/g, ' ');
      return `<li><a href="/articles/${escapeHtml(slug)}">${escapeHtml(title)}</a></li>`;
    });
  const html = (await template.text()).replace(
    /(<ul[^>]*data-saved-articles[^>]*>)[^]*?(<\/ul>)/,
    (_, open, close) => open + saved.join('') + close,
  );
  return new Response(html, {
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

function escapeHtml(text) {
  const entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return String(text).replace(/[&<>"']/g, (c) => entities[c]);
}
