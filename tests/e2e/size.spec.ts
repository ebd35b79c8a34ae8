import { test, expect } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';

// The cheap size guards in `make test` (the full figures are `make bench`). Sizes are what the
// receiver sends a browser that accepts brotli: the `.br` copies the build wrote
// (site-build's finish-site), or the file itself when it has none.
// - A first visit to an article: the page, with its stylesheet and the small start script
//   (public/start.js) inline. Reading pages fetch the app only when the visitor reaches for a
//   control; prerender.spec.ts checks that in the browser.
// - A first visit to the booking page and the self-check: the page, the start script and the
//   page's own app (massage_core::pages::PageApp), which they fetch after their first paint.
const ARTICLE_BUDGET_KB = 20;
const APP_PAGE_BUDGET_KB = 200;

const sent = (path: string) => statSync(existsSync(`${path}.br`) ? `${path}.br` : path).size;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The same-origin files a page's HTML makes the browser fetch before any script runs. */
function referencedFiles(html: string): string[] {
  const tags = html.match(/<(link|script)\b[^>]*>/g) ?? [];
  return tags
    .filter((tag) => !/rel="(canonical|manifest)"/.test(tag))
    .map((tag) => tag.match(/\b(?:href|src)="(\/[^"]*)"/)?.[1])
    .filter((url): url is string => url !== undefined)
    // <noscript> styles load only with scripting off.
    .filter((url) => !html.includes(`<noscript><link rel="stylesheet" href="${url}"`));
}

/** The page, what it references, and the app if the page starts it at once. */
function firstVisit(page: string, withApp: boolean) {
  const html = readFileSync(page, 'utf8');
  const files = referencedFiles(html);
  if (withApp) {
    const start = html.match(/<script[^>]*data-app-js="([^"]+)"[^>]*data-app-wasm="([^"]+)"/);
    expect(start, 'the page names the app for start.js').not.toBeNull();
    files.push(start![1], start![2]);
  }
  const bytes = sent(page) + files.reduce((sum, f) => sum + sent(`dist${f}`), 0);
  return { html, files, bytes };
}

test('a first visit to an article downloads at most the budget, with its stylesheet inline', async () => {
  const { html, files, bytes } = firstVisit('dist/articles/back-pain/index.html', false);
  expect(html, 'the stylesheet is in the page').toMatch(/<style>[^<]*--accent/);
  expect(files.filter((f) => f.endsWith('.css')), 'no stylesheet to fetch before the first paint').toEqual([]);
  expect(html, 'the start script is in the page').toMatch(/<script type="module" data-app-js="[^"]+"[^>]*>\S/);
  expect(files.filter((f) => /\.(wasm|js)$/.test(f)), 'no script to fetch').toEqual([]);
  console.log(`first visit to an article: ${kb(bytes)} brotli (${['page', ...files].join(', ')})`);
  expect(bytes / 1024).toBeLessThanOrEqual(ARTICLE_BUDGET_KB);
});

for (const [route, app] of [['book', 'booking-app'], ['self-check', 'self-check-app']]) {
  test(`a first visit to /${route} downloads at most the budget, with the page's own app`, async () => {
    const { files, bytes } = firstVisit(`dist/${route}/index.html`, true);
    expect(files.filter((f) => f.endsWith('.wasm'))).toEqual([expect.stringMatching(new RegExp(`^/${app}-[0-9a-f]{16}_bg\\.wasm$`))]);
    console.log(`first visit to /${route}: ${kb(bytes)} brotli (budget ${APP_PAGE_BUDGET_KB} KB; ${['page', ...files].join(', ')})`);
    expect(bytes / 1024).toBeLessThanOrEqual(APP_PAGE_BUDGET_KB);
  });
}

test('every text file has its brotli and gzip copies', async () => {
  const app = readdirSync('dist').filter((f) => /\.(wasm|js|css|html)$/.test(f) && statSync(`dist/${f}`).size >= 256);
  expect(app.length).toBeGreaterThan(3);
  for (const file of app) {
    expect(existsSync(`dist/${file}.br`), `${file}.br`).toBe(true);
    expect(existsSync(`dist/${file}.gz`), `${file}.gz`).toBe(true);
  }
});
