import { test, expect, storedRequests, londonDate } from './fixtures';
import type { Page } from '@playwright/test';

// Run by the no-js project (playwright.config.ts): Chromium with scripting off, as a browser
// with JavaScript turned off parses pages (so <noscript> shows). Every page is prerendered,
// so articles read and links work; what needs the app says what to do instead.

test('an article is readable, with its contents linking to each section', async ({ page }) => {
  await page.goto('/articles/back-pain');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Massage for back pain');
  await expect(page).toHaveTitle(/Massage for back pain.*\| Anastasia Massage/);
  await expect(page.locator('#acute')).toBeVisible();
  await page.locator('summary', { hasText: 'Contents' }).click();
  await page.getByRole('navigation', { name: 'Contents' }).getByRole('link', { name: /What results to expect/i }).click();
  await expect(page).toHaveURL(/#results$/);
  await expect(page.locator('#results')).toBeInViewport();
});

/** Fills the booking form as a visitor would, with JavaScript off. */
async function fillForm(page: Page, name: string, postcode: string) {
  await page.getByLabel('Outcall: I come to your home or hotel', { exact: false }).check();
  await page.getByLabel('Address', { exact: true }).fill('Flat 2, 10 Long Road');
  await page.getByLabel('Postcode', { exact: true }).fill(postcode);
  await page.getByLabel('Date', { exact: true }).fill(londonDate(7));
  await page.getByLabel('Start time', { exact: true }).selectOption('12:00');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('E-mail', { exact: true }).fill('no.script@example.com');
  await page.getByLabel('Anything I should know (optional)').fill('Ring twice\nSecond floor');
}

test('without JavaScript the booking form posts to the receiver, keeps what was typed, and is stored once', async ({ page }) => {
  const name = `No Script ${Date.now()}`;
  await page.goto('/book');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Request a booking');
  await fillForm(page, name, 'NOWHERE');
  await page.getByRole('button', { name: 'Send booking request' }).click();

  // The form again: the message next to the postcode, everything else as typed.
  await expect(page.getByRole('heading', { name: 'Please check the form' })).toBeVisible();
  await expect(page.locator('#postcode-error')).toContainText('postcode');
  await expect(page.getByLabel('Postcode', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
  await expect(page.getByLabel('Address', { exact: true })).toHaveValue('Flat 2, 10 Long Road');
  await expect(page.getByLabel('Start time', { exact: true })).toHaveValue('12:00');
  await expect(page.getByLabel('Anything I should know (optional)')).toHaveValue('Ring twice\nSecond floor');
  await expect(page.getByLabel('Outcall: I come to your home or hotel', { exact: false })).toBeChecked();
  expect(storedRequests().filter((r) => r.request.name === name)).toHaveLength(0);

  await page.getByLabel('Postcode', { exact: true }).fill('E8 1AA');
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page).toHaveURL(/\/book\/sent\/AM-/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your request has been sent');
  const reference = (await page.locator('.reference').textContent())!;
  expect(page.url()).toContain(reference);
  const rows = storedRequests().filter((r) => r.request.name === name);
  expect(rows).toHaveLength(1);
  expect(rows[0].request.postcode).toBe('E8 1AA');

  // The same request sent again (a double submit, or back and send): the same reference,
  // still one request.
  await page.goto('/book');
  await fillForm(page, name, 'E8 1AA');
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.locator('.reference')).toHaveText(reference);
  expect(storedRequests().filter((r) => r.request.name === name)).toHaveLength(1);
});

test('the self-check intro points to the warning signs instead of a button that cannot work', async ({ page }) => {
  await page.goto('/self-check');
  await expect(page.getByRole('link', { name: 'Start the check' })).toBeHidden();
  await page.locator('main .notice a', { hasText: 'warning signs that need a doctor first' }).click();
  await expect(page).toHaveURL(/\/articles\/back-pain#see-a-doctor-first$/);
  await expect(page.locator('#see-a-doctor-first')).toBeVisible();
});

test('links between pages work as ordinary page loads', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
  await expect(page).toHaveURL(/\/services$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
