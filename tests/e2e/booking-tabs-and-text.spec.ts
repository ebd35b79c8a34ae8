import { test, expect, appReady, storedRequests, londonDate } from './fixtures';
import type { Page } from '@playwright/test';

// Two things a clumsy visitor (or a hostile one) does to the booking form: paste text with
// hidden control characters, and keep two tabs open on /book.

async function openBookingPage(page: Page) {
  await page.goto('/book');
  await appReady(page);
}

async function fillRequest(page: Page, name: string) {
  await page.getByLabel('Treatment', { exact: true }).selectOption({ label: 'Deep tissue massage' });
  await page.getByLabel('Length and price').selectOption({ label: '60 minutes – £80' });
  await page.getByLabel(/^In-call/).check();
  await page.locator('#time-date-0').fill(londonDate(8));
  await page.locator('#time-time-0').selectOption('19:00');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('E-mail', { exact: true }).fill('sam@example.com');
}

test('a control character in a field gets a message next to it, and nothing is sent', async ({ page }) => {
  await openBookingPage(page);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await appReady(page);
  const name = `Tab\tName ${Date.now()}`;
  await fillRequest(page, name);
  await page.getByLabel('Name', { exact: true }).blur();
  await expect(page.locator('#name-error')).toHaveText(/Your name contains a tab \(U\+0009\)/);
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.locator('.error-summary')).toContainText('Your name contains a tab');
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  expect(storedRequests().filter((r) => r.request.name === name)).toHaveLength(0);
  // Line breaks are fine in the notes; an escape character is not.
  await page.getByLabel('Name', { exact: true }).fill('Sam Client');
  await page.locator('#notes').fill('Second floor\nRing twice\u001b[2J');
  await page.locator('#notes').blur();
  await expect(page.locator('#notes-error')).toHaveText(/hidden control character \(U\+001B\).*Line breaks and tabs are fine/);
});

test('when another tab delivers the request, the tab where it was sent shows the reference at once', async ({
  page,
  context,
  consoleErrors,
}) => {
  await openBookingPage(page);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await appReady(page);
  const other = await context.newPage();
  await openBookingPage(other);

  // This tab has no connection: the request waits in the outbox on the phone.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: true,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  const name = `Two tabs ${Date.now()}`;
  await fillRequest(page, name);
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.getByRole('heading', { name: /Saved on this phone/ })).toBeVisible();

  // The other tab's next try (its timer, or the phone coming back online) gets it through.
  await other.evaluate(() => dispatchEvent(new Event('online')));
  await expect(other.getByRole('heading', { name: 'Your request has been sent' })).toBeVisible();
  const reference = (await other.locator('.reference').textContent())!;
  expect(reference).toMatch(/^AM-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  // At once, not at this tab's next try a minute later (and never an empty form).
  await expect(page.locator('.reference')).toHaveText(reference, { timeout: 5_000 });
  await expect(page.getByRole('heading', { name: 'Your request has been sent' })).toBeVisible();
  expect(storedRequests().filter((r) => r.request.name === name)).toHaveLength(1);
  const offline = /ERR_INTERNET_DISCONNECTED|Failed to fetch/;
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !offline.test(e)));
});
