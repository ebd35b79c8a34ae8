import { defineConfig } from '@playwright/test';

// End-to-end tests run against the release build in dist/ served by the real receiver on
// loopback, in Debian's chromium (Playwright never downloads a browser here).
const port = process.env.E2E_PORT ?? '8181';
const baseURL = `http://127.0.0.1:${port}`;
// The article editor's tests publish into their own receiver (its SMTP sink and calendar on
// the ports after it: serve.sh), so an article they add never shows in the library the other
// tests count.
const editorPort = String(Number(port) + 10);

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    // The site's service worker (sw.js) answers a page's requests from its own context, where
    // page.route() cannot see them; tests that hold back or change responses need it out of
    // the way. offline.spec.ts turns it on and tests it.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
  projects: [
    { name: 'phone-390', testIgnore: /no-js|size|hostile\//, use: { viewport: { width: 390, height: 844 }, hasTouch: true } },
    { name: 'phone-320', testIgnore: /no-js|size|hostile\//, use: { viewport: { width: 320, height: 640 }, hasTouch: true } },
    {
      // Scripting off in Blink itself (not only in the page), as a browser with JavaScript
      // turned off: the parser then shows <noscript> content.
      name: 'no-js',
      testMatch: /no-js|size/,
      use: {
        viewport: { width: 390, height: 844 },
        hasTouch: true,
        javaScriptEnabled: false,
        launchOptions: {
          executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
          args: [...chromiumArgs, '--blink-settings=scriptEnabled=false'],
        },
      },
    },
  ],
  webServer: [
    {
      command: `tests/e2e/serve.sh ${port} var/e2e/bookings.sqlite`,
      url: `${baseURL}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `tests/e2e/serve.sh ${editorPort} var/e2e-editor/bookings.sqlite`,
      url: `http://127.0.0.1:${editorPort}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
