// What a first visit downloads, measured in Chromium (used by scripts/bench.sh): for each
// route, a fresh browser context (empty cache) loads the page, waits until the network has
// been quiet for a second, and adds up the bytes of every response as they came over the
// wire (compressed by the receiver, as a host would). No clicks, no typing: a reader.
//
// Usage: node scripts/first-visit.mjs <base URL> <route>...
import { chromium } from '@playwright/test';

const [base, ...routes] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium' });
for (const route of routes) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const responses = [];
  page.on('requestfinished', async (request) => {
    const sizes = await request.sizes().catch(() => null);
    if (sizes) responses.push({ url: new URL(request.url()).pathname, bytes: sizes.responseBodySize });
  });
  await page.goto(base + route, { waitUntil: 'networkidle' });
  await page.waitForTimeout(1000);
  const total = responses.reduce((sum, r) => sum + r.bytes, 0);
  const files = responses.map((r) => `${r.url.split('/').pop() || r.url} ${r.bytes}`).join(', ');
  console.log(`${route}\t${total}\t${files}`);
  await context.close();
}
await browser.close();
