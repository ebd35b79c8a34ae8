import { test as base, expect, type Page } from '@playwright/test';

/** Every test fails if the page logs an error or throws: a visitor would see a broken page. */
export const test = base.extend<{ consoleErrors: string[] }>({
  // Pages are prerendered, so they show before the app runs them. page.goto() waits for the
  // app too (<html data-app>), as a visitor's taps would: tests then act on the live app.
  // Pass an explicit `waitUntil` to act on the prerendered page before the app arrives.
  page: async ({ page, javaScriptEnabled }, use) => {
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      if (javaScriptEnabled !== false && options?.waitUntil === undefined) {
        await page.locator('html[data-app]').waitFor({ state: 'attached' });
      }
      return response;
    };
    await use(page);
  },
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        // An unknown address is answered with the not-found page and a 404 status, which
        // Chromium logs as a failed load of the page itself; a visitor sees the page.
        const pageItself = msg.text().includes('status of 404') && msg.location().url === page.url();
        if (msg.type() === 'error' && !pageItself) errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Waits until the app runs the page: pages are prerendered, so a heading shows before the
 * wasm has loaded; the app marks <html data-app> once it has taken the page over.
 */
export async function appReady(page: Page) {
  await expect(page.locator('html[data-app]')).toHaveCount(1);
  await expect(page.locator('main h1')).toBeVisible();
}
