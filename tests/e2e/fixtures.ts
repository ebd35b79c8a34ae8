import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { test as base, expect, type Page } from '@playwright/test';

/** Every test fails if the page logs an error or throws: a visitor would see a broken page. */
export const test = base.extend<{ consoleErrors: string[] }>({
  // Pages are prerendered, so they show before the app runs them. page.goto() waits until
  // the page has decided about the app, as public/start.js does: either the app runs it
  // (<html data-app>), or it is a reading page waiting for the visitor to reach for a
  // control (<html data-app-waits>). Pass an explicit `waitUntil` to act before that.
  page: async ({ page, javaScriptEnabled }, use) => {
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      if (javaScriptEnabled !== false && options?.waitUntil === undefined) {
        await page.locator('html[data-app], html[data-app-waits]').waitFor({ state: 'attached' });
      }
      return response;
    };
    await use(page);
  },
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        // An unknown address is answered with the not-found page and a 404 status, and a
        // refused plain form post with the form again and a 422: Chromium logs either as a
        // failed load of the page itself, but a visitor sees the page.
        const pageItself = /status of (404|422)/.test(msg.text()) && msg.location().url === page.url();
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
 * wasm has loaded; the app marks <html data-app> once it has taken the page over. Reading
 * pages only start the app when the visitor reaches for a control (see `openInApp`).
 */
export async function appReady(page: Page) {
  await expect(page.locator('html[data-app]')).toHaveCount(1);
  await expect(page.locator('main h1')).toBeVisible();
}

/**
 * Opens `path` with the whole site's app running, the way a visitor gets there from a page
 * that started it: the library with a search in its address starts it at once, then links
 * navigate within the app. (The booking page and the self-check start their own, smaller
 * apps, which leave links to other pages to the browser.)
 */
export async function openInApp(page: Page, path: string) {
  await page.goto('/articles?q=massage');
  await appReady(page);
  await page.evaluate((to) => {
    const link = document.createElement('a');
    link.href = to;
    document.querySelector('main')!.append(link);
    link.click();
  }, path);
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[?]/g, '\\?')}$`));
}

/**
 * A self-check finished in this tab with `answers`, as the visitor leaves it: the answers are
 * kept in the tab and the result has been shown (which is when the booking page learns it).
 */
export async function finishSelfCheck(page: Page, answers: Record<string, string[]>) {
  if (page.url() === 'about:blank') await page.goto('/self-check');
  await page.evaluate((a) => sessionStorage.setItem('self-check-answers', JSON.stringify(a)), answers);
  await page.goto('/self-check/result');
  await appReady(page);
}

/** The inbox's password: tests/e2e/serve.sh sets it. */
export const INBOX_PASSWORD = process.env.E2E_INBOX_PASSWORD ?? 'e2e inbox password';

/** Signs in on the inbox's sign-in page, keyboard only: the field has focus, Enter sends it. */
export async function signIn(page: Page) {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(INBOX_PASSWORD);
  await page.keyboard.press('Enter');
}

/** No axe violations (WCAG 2.1 A and AA, and best practice) on the page as it is. */
export async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
  expect(results.passes.length, 'axe checked the page').toBeGreaterThan(10);
}

/** The release receiver that `serve.sh` runs, for tests that read what it stored. */
export const RECEIVER = 'target/release/booking-api';

/** The requests the receiver stored, as `booking-api requests` prints them. */
export function storedRequests(database = 'var/e2e/bookings.sqlite'): any[] {
  const out = execFileSync(RECEIVER, ['requests', '--database', database], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** A London date `days` after `from`, as a date input takes it. */
export function londonDate(days: number, from = Date.now()): string {
  const d = new Date(from + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(d);
}

/** Fills in the smallest valid request on the booking page, as a visitor would. */
export async function fillValidRequest(page: Page, name: string) {
  await page.getByLabel('Treatment', { exact: true }).selectOption({ label: 'Deep tissue massage' });
  await page.getByLabel('Length and price').selectOption({ label: '60 minutes – £80' });
  await page.getByLabel(/^In-call/).check();
  await page.locator('#time-date-0').fill(londonDate(7));
  await page.locator('#time-time-0').selectOption('18:00');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('E-mail', { exact: true }).fill('sam@example.com');
}
