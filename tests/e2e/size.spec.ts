import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// The cheap size guards in `make test` (the full figures are `make bench`).
// - A first visit to an article: 200 KB gzip for everything it downloads (HTML, CSS, JS,
//   wasm). Reading pages are complete as HTML and fetch the app only when the visitor
//   reaches for a control (public/start.js); prerender.spec.ts checks that in the browser.
// - The app itself, which the booking and self-check pages fetch after their first paint:
//   held where it is, so any growth fails. Lower APP_CEILING_KB as it shrinks.
const FIRST_VISIT_BUDGET_KB = 200;
const APP_CEILING_KB = 430;

const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The same-origin files a page's HTML makes the browser fetch before any script runs. */
function referencedFiles(html: string): string[] {
  const tags = html.match(/<(link|script)\b[^>]*>/g) ?? [];
  return tags
    .filter((tag) => !/rel="canonical"/.test(tag))
    .map((tag) => tag.match(/\b(?:href|src)="(\/[^"]*)"/)?.[1])
    .filter((url): url is string => url !== undefined)
    // <noscript> styles load only with scripting off.
    .filter((url) => !html.includes(`<noscript><link rel="stylesheet" href="${url}"`));
}

test('a first visit to an article downloads at most the budget', async () => {
  const page = 'dist/articles/back-pain/index.html';
  const files = referencedFiles(readFileSync(page, 'utf8'));
  expect(files.some((f) => f.endsWith('.css')), 'the page links its stylesheet').toBe(true);
  expect(files.filter((f) => /\.(wasm|js)$/.test(f)), 'only the small start script').toEqual(['/start.js']);
  const bytes = gz(page) + files.reduce((sum, f) => sum + gz(`dist${f}`), 0);
  console.log(`first visit to an article: ${kb(bytes)} gzip (${['page', ...files].join(', ')})`);
  expect(bytes / 1024).toBeLessThanOrEqual(FIRST_VISIT_BUDGET_KB);
});

test('the app (wasm and JS) stays under its size ceiling', async () => {
  const app = readdirSync('dist').filter((f) => /^massage-site-.*\.(wasm|js)$/.test(f));
  expect(app.length, 'dist/ has the wasm and its JS').toBe(2);
  const bytes = app.reduce((sum, f) => sum + gz(`dist/${f}`), 0);
  console.log(`wasm + js: ${kb(bytes)} gzip (ceiling ${APP_CEILING_KB} KB)`);
  expect(bytes / 1024).toBeLessThanOrEqual(APP_CEILING_KB);
});
