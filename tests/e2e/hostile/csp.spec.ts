import { test, expect } from '@playwright/test';
import { hosts, watchForExecution } from './hosts';

// Every page carries its Content-Security-Policy as a <meta> tag, so even a host that sends
// no headers enforces it: an inline script or handler that finds its way into a page does
// not run, while the page's own inline code (allowed by hash) and the app do.

const [receiver, plain] = hosts;

test.describe('on a plain static server', () => {
  test.use({ baseURL: plain.url });

  test('the page sends no policy header, and its meta policy blocks an injected inline script', async ({ page }) => {
    const response = await page.request.get('/articles/back-pain/');
    expect(response.headers()['content-security-policy'], 'a plain host sends no policy').toBeUndefined();

    // Injected into the page's HTML as it arrives, as a stored injection would be.
    await page.route('**/articles/back-pain/', async (route) => {
      const original = await route.fetch();
      const html = (await original.text()).replace(
        '</main>',
        '<script>window.__injected = "script"</script><img src="/favicon.svg" onload="window.__injected = \'handler\'"></main>',
      );
      await route.fulfill({ response: original, body: html });
    });
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    const ran = await watchForExecution(page);
    await page.goto('/articles/back-pain/');
    await expect(page.locator('main h1')).toBeVisible();
    await expect.poll(() => violations.length, 'the browser reports what it blocked').toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => (window as any).__injected)).toBeUndefined();
    expect(ran()).toEqual([]);
  });
});

for (const host of hosts) {
  test.describe(`served by ${host.name}`, () => {
    test.use({ baseURL: host.url });

    test("every page's own inline code and the app run under its policy", async ({ page }) => {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) violations.push(message.text());
      });
      const ran = await watchForExecution(page);
      // A plain static server has its own answer for unknown addresses; hosts that use the
      // site's not-found page (the receiver, Netlify, GitHub Pages) send 404.html.
      const notFound = host === receiver ? '/no-such-page' : '/404.html';
      for (const path of ['/book', '/self-check', '/articles', '/articles/back-pain', '/', notFound]) {
        await page.goto(path);
        const policy = page.locator('meta[http-equiv="Content-Security-Policy"]');
        await expect(policy, path).toHaveCount(1);
        await expect(policy, path).toHaveAttribute('content', /script-src 'self' 'wasm-unsafe-eval'/);
      }
      // The booking page starts the app at once: WebAssembly and styles work under the policy.
      await page.goto('/book');
      await expect(page.locator('html[data-app]')).toHaveCount(1);
      // The self-check's later steps get the bare shell, with Trunk's own inline loader.
      await page.goto('/self-check/result');
      await expect(page.locator('html[data-app]')).toHaveCount(1);
      expect(violations).toEqual([]);
      expect(ran()).toEqual([]);
    });
  });
}

test('the receiver sends the same policy as a header, with framing forbidden', async ({ request }) => {
  const response = await request.get(`${receiver.url}/articles/back-pain`);
  const header = response.headers()['content-security-policy'];
  expect(header).toContain("frame-ancestors 'none'");
  const html = await response.text();
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1].replaceAll('&#39;', "'");
  for (const directive of meta.split('; ')) {
    const [name, ...sources] = directive.split(' ');
    const allowed = header.split('; ').find((d) => d.startsWith(`${name} `))!;
    for (const source of sources) expect(allowed, `${name} in the header allows ${source}`).toContain(source);
  }
});
