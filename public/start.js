// Starts the app on a prerendered page. The build (src/bin/prerender.rs) writes this script
// inline into every prerendered page in place of Trunk's loader (one request fewer before the
// first paint; each page's CSP carries its hash), with the app's file names (the booking
// page and the self-check have smaller apps of their own: massage_core::pages::PageApp) and
// when to start it (massage_core::pages::start) as data attributes. The bare shell keeps
// Trunk's own loader: it has nothing to show until the app runs.
//
// Either way the download waits until the page has painted, so it never competes with the
// text a visitor came to read:
// - "after-first-paint" (booking, self-check): the page exists to be used, start at once;
// - "on-intent" (articles, library, home...): the page is complete as HTML. The app starts
//   when the visitor reaches for a control (search box, filter, button), when the address
//   has a parameter the page reads (a search the HTML cannot show), or when a booking
//   request waits on this phone to be sent. Links stay ordinary links and load the next page.
// What the visitor does before the app arrives is kept (src/takeover.rs): typed text, focus,
// choices, and a search submitted meanwhile, which the app then runs.

const tag = document.querySelector('script[data-app-js]');
const { appJs, appWasm, siteJs, siteWasm, start, params, outboxKey } = tag.dataset;
const root = document.documentElement;
const app = document.getElementById('app');
let requested = false;

function run() {
  if (requested) return;
  requested = true;
  root.removeAttribute('data-app-waits');
  // A page's own app may leave out the outbox (the self-check's): when a booking request
  // waits on this phone, the whole site's app runs the page instead, and sends it.
  const [js, wasm] = siteJs && bookingWaits() ? [siteJs, siteWasm] : [appJs, appWasm];
  import(js)
    .then((bindings) => bindings.default({ module_or_path: wasm }))
    .then(keepForOffline)
    .catch(() => {
      // Offline or a failed download: the page still works as a web page. Try again once
      // the phone is back online.
      requested = false;
      addEventListener('online', run, { once: true });
    });
}

// Whatever a page fetches that it does not need to show itself waits until its largest paint
// is on the screen: the app, the manifest and the offline worker. A request that ends before
// that paint competes with it on a slow phone, and Lighthouse's simulation puts it on the
// paint's critical path: the manifest, added at `load`, cost an article a tenth of a second
// there (on a page this small, load fires before the first paint), and the app, started in
// the first animation frame, cost the booking page as much (a frame is drawn before it is
// shown). Browsers without the largest-paint timing (Safari before 26) wait for the first
// frame drawn after load instead, and so does a page that is hidden before it paints (a tab
// opened in the background): the browser reports no largest paint for it, and draws no frame
// until it is shown.
const painted = new Promise((resolve) => {
  const after = () => setTimeout(resolve, 0);
  const afterLoadFrame = () => {
    if (document.readyState === 'complete') requestAnimationFrame(after);
    else addEventListener('load', () => requestAnimationFrame(after), { once: true });
  };
  if (globalThis.PerformanceObserver?.supportedEntryTypes?.includes('largest-contentful-paint') && !document.hidden) {
    new PerformanceObserver((_, observer) => {
      observer.disconnect();
      after();
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    document.addEventListener('visibilitychange', afterLoadFrame, { once: true });
  } else {
    afterLoadFrame();
  }
});

function bookingWaits() {
  try {
    return localStorage.getItem(outboxKey) !== null || sessionStorage.getItem(outboxKey) !== null;
  } catch {
    // Storage can be off (some private modes); then nothing can be waiting in it either.
    return false;
  }
}

function onIntent(event) {
  if (root.hasAttribute('data-app') || !(event.target instanceof Element) || !app.contains(event.target)) {
    return;
  }
  if (event.type === 'submit') {
    // The app runs the search; without it the form would load the page again.
    event.preventDefault();
    event.target.setAttribute('data-replay', 'submit');
  } else if (!event.target.closest('input, select, textarea, button')) {
    return;
  }
  run();
}

function addressAsksForApp() {
  const query = new URLSearchParams(location.search);
  return params.split(' ').some((name) => name !== '' && query.has(name));
}

// A link to a question in a closed <details> (an FAQ answer) opens it, as the app does.
function openTarget() {
  if (root.hasAttribute('data-app') || location.hash.length < 2) return;
  let id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return; // A mangled #fragment (`#%E0`) names nothing; the page must still start.
  }
  const target = document.getElementById(id);
  const details = target && target.closest('details');
  if (details && !details.open) details.open = true;
}
openTarget();
addEventListener('hashchange', openTarget);

// A self-check step answered before the app has arrived is held back, and sent by the app
// when it takes the page over (src/takeover.rs carries the ticks over): sent by the browser,
// the answers would go into the address, and health answers never do.
document.addEventListener(
  'submit',
  (event) => {
    if (root.hasAttribute('data-app') || !(event.target instanceof Element) || !event.target.matches('form.self-check')) {
      return;
    }
    event.preventDefault();
    event.target.setAttribute('data-replay', 'submit');
    run();
  },
  { capture: true },
);

if (start === 'after-first-paint' || addressAsksForApp() || bookingWaits()) {
  painted.then(run);
} else {
  root.setAttribute('data-app-waits', '');
  for (const type of ['focusin', 'pointerdown', 'input', 'change', 'submit']) {
    document.addEventListener(type, onIntent, { capture: true });
  }
}

// Repeat visits and reading offline: the build writes a service worker (/sw.js) that keeps the
// pages read here, and the app once it has been fetched. Registered once the page has painted,
// or once the app runs on pages that start it at once: what the worker fetches to keep must
// never compete with the app's download (Lighthouse: a fifth of a second later on /book).
function keepForOffline() {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
}

painted.then(() => {
  // After `run` on the pages that start the app at once: the worker then waits for the app.
  if (!requested) keepForOffline();
  // Installing the site as an app: the build writes the manifest (with the service worker). A
  // browser fetches a manifest, and the icons it lists, as soon as it sees the link.
  const link = document.createElement('link');
  link.rel = 'manifest';
  link.href = '/manifest.webmanifest';
  document.head.append(link);
});
