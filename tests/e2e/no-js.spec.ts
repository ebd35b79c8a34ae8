import { test, expect } from './fixtures';

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

test('the booking page says how to book by phone or e-mail, and shows no dead form', async ({ page }) => {
  await page.goto('/book');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Request a booking');
  // Playwright's text locators skip <noscript>; CSS ones do not.
  const note = page.locator('main .notice', { hasText: 'This form needs JavaScript' });
  await expect(note).toBeVisible();
  await expect(note.getByRole('link', { name: /^\+?[\d ]+$/ })).toHaveAttribute('href', /^tel:/);
  await expect(note.getByRole('link', { name: /@/ })).toHaveAttribute('href', /^mailto:/);
  await expect(page.locator('form.booking-form')).toBeHidden();
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
