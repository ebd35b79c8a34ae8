// What a first visit downloads, measured in Chromium (used by scripts/bench.sh): for each
// route, a fresh browser context (empty cache) loads the page, waits until the network has
// been quiet for a second, and lists every response. No clicks, no typing: a reader.
//
// For each route it prints, tab-separated: the route; the bytes as they came over the wire
// here; the bytes of the same files sent with brotli and with gzip (the `.br` and `.gz`
// copies the build wrote, or the file itself when it has none); the brotli bytes the service
// worker then fetches in the background to keep the site for offline (its CORE list in
// sw.js, less what the page fetched already); and the files.
//
// Usage: node scripts/first-visit.mjs <base URL> <route>...   (SITE=dist: the built site)
import { chromium } from '@playwright/test';
import { existsSync, readFileSync, statSync } from 'node:fs';

const site = process.env.SITE ?? 'dist';
const [base, ...routes] = process.argv.slice(2);

/** The built file behind a path: pages are `<path>/index.html`, as the receiver serves them. */
function fileFor(path) {
  const last = path.split('/').pop();
  return last.includes('.') ? `${site}${path}` : `${site}${path.replace(/\/$/, '')}/index.html`;
}

/** Bytes of the file sent with `encoding` (its precompressed copy if it has one). */
function sent(path, encoding) {
  const file = fileFor(path);
  if (existsSync(`${file}.${encoding}`)) return statSync(`${file}.${encoding}`).size;
  return existsSync(file) ? statSync(file).size : 0;
}

const worker = existsSync(`${site}/sw.js`) ? readFileSync(`${site}/sw.js`, 'utf8') : '';
const kept = JSON.parse(worker.match(/^const CORE = (.*);$/m)?.[1] ?? '[]');

const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium' });
for (const route of routes) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const responses = [];
  page.on('requestfinished', async (request) => {
    const sizes = await request.sizes().catch(() => null);
    if (sizes) responses.push({ path: new URL(request.url()).pathname, bytes: sizes.responseBodySize });
  });
  await page.goto(base + route, { waitUntil: 'networkidle' });
  await page.waitForTimeout(1000);
  const sum = (f) => responses.reduce((total, r) => total + f(r), 0);
  const files = responses.map((r) => `${r.path.split('/').pop() || r.path} ${r.bytes}`).join(', ');
  const fetched = new Set(responses.map((r) => r.path));
  const registered = await page.evaluate(async () => (await navigator.serviceWorker?.getRegistration()) !== undefined);
  const background = registered
    ? kept.filter((path) => !fetched.has(path)).reduce((total, path) => total + sent(path, 'br'), 0)
    : 0;
  const row = [route, sum((r) => r.bytes), sum((r) => sent(r.path, 'br')), sum((r) => sent(r.path, 'gz')), background, files];
  console.log(row.join('\t'));
  await context.close();
}
await browser.close();
