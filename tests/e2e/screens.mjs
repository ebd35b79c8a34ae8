// Screenshots of every page at phone widths, for looking at what was built:
//   node tests/e2e/screens.mjs [base-url] [out-dir] [paths...]
import { chromium } from 'playwright-core';

const [base = 'http://127.0.0.1:8080', out = 'screenshots', ...paths] = process.argv.slice(2);
const routes = paths.length ? paths : ['/', '/articles', '/articles/back-pain', '/self-check', '/book', '/services', '/privacy', '/no-such-page'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const width of [390, 320]) {
  for (const scheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width, height: width === 390 ? 844 : 640 }, colorScheme: scheme });
    for (const path of routes) {
      await page.goto(base + path);
      await page.waitForSelector('main h1');
      await page.waitForTimeout(300);
      const name = `${width}-${scheme}${path.replace(/[^a-z0-9]+/gi, '_')}.png`;
      await page.screenshot({ path: `${out}/${name}`, fullPage: true });
    }
    await page.close();
  }
}
await browser.close();
