import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// The cheap size guard in `make test` (the full figures are `make bench`). The target for a
// first visit to an article is 200 KB gzip for HTML, CSS, JS and wasm together; the wasm
// alone is above that today, so this holds the line where it is and fails on any growth.
// Lower CEILING_KB as the wasm shrinks, down to the target.
const CEILING_KB = 440;

const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

test('the app (wasm and JS) stays under its size ceiling', async () => {
  const app = readdirSync('dist').filter((f) => /^massage-site-.*\.(wasm|js)$/.test(f));
  expect(app.length, 'dist/ has the wasm and its JS').toBe(2);
  const bytes = app.reduce((sum, f) => sum + gz(`dist/${f}`), 0);
  console.log(`wasm + js: ${(bytes / 1024).toFixed(1)} KB gzip (ceiling ${CEILING_KB} KB)`);
  expect(bytes / 1024).toBeLessThanOrEqual(CEILING_KB);
});

test('a prerendered article page and its CSS are small', async () => {
  const css = readdirSync('dist').filter((f) => /^main-.*\.css$/.test(f));
  const bytes = gz('dist/articles/back-pain/index.html') + gz(`dist/${css[0]}`);
  console.log(`article HTML + CSS: ${(bytes / 1024).toFixed(1)} KB gzip`);
  expect(bytes / 1024).toBeLessThanOrEqual(30);
});
