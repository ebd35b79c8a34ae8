import { test as base, expect, type Page } from '@playwright/test';

/** Every test fails if the page logs an error or throws: a visitor would see a broken page. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the app has rendered a page (the wasm has loaded and taken over). */
export async function appReady(page: Page) {
  await expect(page.locator('main h1')).toBeVisible();
}
