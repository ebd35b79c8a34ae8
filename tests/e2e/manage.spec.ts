import { expect, appReady, londonDate } from './fixtures';
import { test, bookingFormOn, expectNoViolations, mailTo, readable, sendRequest, signedIn } from './inbox-helpers';
import type { Page } from '@playwright/test';

// Issue 23: after the request. The client's e-mails carry a link to their booking; from it
// they cancel (or ask for other times), the therapist is told, and the time is free again.

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'phone-390', 'checked on the 390x844 phone');
});

/** The path of the link to manage the booking in the latest e-mail to `to` that has one. */
function manageLink(mails: string[]): string {
  const links = mails.map((m) => readable(m).match(/https?:\/\/[^/\s]+(\/manage\/[A-Za-z0-9_-]+)/)).filter(Boolean);
  expect(links.length, 'an e-mail with a link').toBeGreaterThan(0);
  return links[links.length - 1]![1];
}

const withInvite = (email: string) => mailTo(email).filter((m) => m.includes('BEGIN:VCALENDAR'));

test('a client cancels from the link in their confirmation, and the time is offered again', async ({ page, browser, inboxCookies }) => {
  const day = londonDate(23);
  const stamp = Date.now();
  const email = `cancel-${stamp}@example.com`;

  // The client books on the real form.
  await page.goto('/book');
  await appReady(page);
  await page.getByLabel('Treatment', { exact: true }).selectOption({ label: 'Deep tissue massage' });
  await page.getByLabel('Length and price').selectOption({ label: '60 minutes – £80' });
  await page.getByLabel(/^In-call/).check();
  await page.locator('#time-date-0').fill(day);
  await page.locator('#time-time-0').selectOption('13:00');
  await page.getByLabel('Name', { exact: true }).fill(`Link ${stamp}`);
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.getByRole('heading', { name: 'Your request has been sent' })).toBeVisible();
  const reference = (await page.locator('.reference').textContent())!.trim();

  // She confirms it in the inbox; a new visitor is no longer offered 13:00.
  await signedIn(page, inboxCookies);
  await page.goto(`/inbox/requests/${reference}`, { waitUntil: 'load' });
  await page.getByRole('button', { name: 'Confirm and e-mail the client' }).click();
  await expect(page.locator('p.status')).toContainText(/^Confirmed: .*13:00$/);
  const before = await bookingFormOn(browser, day);
  await expect(before.locator('#time-time-0 option[value="14:30"]')).toHaveCount(1);
  await expect(before.locator('#time-time-0 option[value="13:00"]')).toHaveCount(0);
  await before.close();

  // The client opens the link in the confirmation e-mail, on their own phone.
  await expect.poll(() => withInvite(email).length, { timeout: 15_000 }).toBe(1);
  const link = manageLink(withInvite(email));
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const client = await context.newPage();
  await client.goto(link, { waitUntil: 'load' });
  await expect(client.getByRole('heading', { name: 'Your booking' })).toBeVisible();
  await expect(client.locator('p.standing')).toContainText(/^Booked: .*13:00/);
  await expectNoViolations(client, 'a booking with its forms');
  await client.getByRole('button', { name: /^Cancel my booking on .*13:00$/ }).click();
  await expect(client.getByRole('status').filter({ hasText: 'Done: cancelled.' })).toBeVisible();
  await expect(client.locator('p.standing')).toContainText('was cancelled on');
  await expect(client.getByRole('button')).toHaveCount(0);
  await context.close();

  // The calendar event is cancelled: the same UID, a higher SEQUENCE.
  await expect.poll(() => withInvite(email).length, { timeout: 15_000 }).toBe(2);
  const cancellation = withInvite(email)[1];
  expect(cancellation).toContain('METHOD:CANCEL');
  expect(cancellation).toContain('STATUS:CANCELLED');
  expect(cancellation).toContain('SEQUENCE:1');
  expect(cancellation).toContain(`UID:${reference}@127.0.0.1`);

  // A new visitor is offered 13:00 again.
  const after = await bookingFormOn(browser, day);
  await expect(after.locator('#time-time-0 option[value="13:00"]')).toHaveCount(1);
  await after.close();

  // The inbox shows the cancellation, and who made it; she was told by e-mail.
  await page.goto('/inbox?show=cancelled', { waitUntil: 'load' });
  const row = page.getByRole('listitem').filter({ hasText: reference });
  await expect(row).toContainText('Cancelled');
  await row.getByRole('link').click();
  await expect(page.getByText('Cancelled by the client')).toBeVisible();
  await expect
    .poll(() => mailTo('therapist@example.com').filter((m) => m.includes(reference) && readable(m).includes('cancelled their booking')).length)
    .toBe(1);
});

/** A request from `email` for `time` sent straight to the receiver; its reference. */
async function requestFrom(page: Page, email: string, time: string, name = 'Sam'): Promise<string> {
  return sendRequest(page.request, {
    location: 'outcall', address: 'Flat 2, 14 Example Road', postcode: 'SW4 7AA',
    preferred_times: [time], name, email,
  });
}

// The link in the receipt needs no answer from her. Dark is checked at 320 px wide.
for (const [scheme, width] of [['light', 390], ['dark', 320]] as const) {
  test(`the client's booking page has no accessibility violations (${scheme}, ${width} px)`, async ({ page, browser }) => {
    const email = `axe-${scheme}-${Date.now()}@example.com`;
    const day = londonDate(scheme === 'light' ? 24 : 25);
    await requestFrom(page, email, `${day}T15:00`, `Axe ${scheme} <script>alert(1)</script>`);
    await expect.poll(() => mailTo(email).length, { timeout: 15_000 }).toBe(1);
    // axe needs a page of its own context.
    const context = await browser.newContext({ viewport: { width, height: 640 }, colorScheme: scheme });
    const client = await context.newPage();
    await client.goto(manageLink(mailTo(email)), { waitUntil: 'load' });
    await expect(client.getByRole('heading', { name: 'Your booking request' })).toBeVisible();
    await expect(client.getByText(`Axe ${scheme} <script>alert(1)</script>`)).toBeVisible();
    await expectNoViolations(client, 'a request with its forms');
    // A second choice with a date and no time: refused, summed up at the top with a link to
    // the field, which keeps its date.
    await client.locator('#date-0').fill(day);
    await client.locator('#time-0').selectOption('16:00');
    await client.locator('#date-1').fill(day);
    await client.getByRole('button', { name: 'Send my new times' }).click();
    const summary = client.getByRole('alert');
    await expect(summary).toContainText('Choose a date and a time.');
    await summary.getByRole('link').first().click();
    await expect(client.locator('#date-1')).toBeFocused();
    await expect(client.locator('#date-1')).toHaveValue(day);
    await expectNoViolations(client, 'a refused change');
    // Keyboard only: the button says what it does, and Enter sends its form.
    await client.getByRole('button', { name: 'Withdraw my request' }).focus();
    await client.keyboard.press('Enter');
    await expect(client.getByRole('status').filter({ hasText: 'Done: cancelled.' })).toBeVisible();
    await expect(client.locator('p.standing')).toContainText('was withdrawn on');
    await expectNoViolations(client, 'a withdrawn request');
    await context.close();
  });
}

test('a client asks to move a booking: her page of it has no accessibility violations', async ({ page, browser, inboxCookies }) => {
  const email = `move-${Date.now()}@example.com`;
  const [day, later] = [londonDate(26), londonDate(27)];
  const reference = await requestFrom(page, email, `${day}T15:00`);
  await signedIn(page, inboxCookies);
  await page.goto(`/inbox/requests/${reference}`, { waitUntil: 'load' });
  await page.getByRole('button', { name: 'Confirm and e-mail the client' }).click();
  await expect(page.locator('p.status')).toContainText(/^Confirmed: .*15:00$/);

  await expect.poll(() => withInvite(email).length, { timeout: 15_000 }).toBe(1);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const client = await context.newPage();
  await client.goto(manageLink(withInvite(email)), { waitUntil: 'load' });
  await client.locator('#date-0').fill(later);
  await client.locator('#time-0').selectOption('12:00');
  await client.getByRole('button', { name: 'Send my new times' }).click();
  await expect(client.getByRole('status').filter({ hasText: 'Sent.' })).toBeVisible();
  await context.close();

  await page.reload({ waitUntil: 'load' });
  await expect(page.locator('p.status')).toHaveText('Asks to move');
  await expect(page.getByLabel(/^Keep the original time: .*15:00$/)).toBeVisible();
  await expectNoViolations(page, 'a request to move');
});

test.describe('with the site\'s service worker', () => {
  // The other specs block it (playwright.config.ts); this one is about it.
  test.use({ serviceWorkers: 'allow' });

  test('a client\'s booking page is never kept or answered by it', async ({ page }) => {
    const email = `worker-${Date.now()}@example.com`;
    await requestFrom(page, email, `${londonDate(28)}T15:00`);
    // A visitor who has read the site here: the worker runs their pages.
    await page.goto('/articles/back-pain');
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await expect.poll(() => mailTo(email).length, { timeout: 15_000 }).toBe(1);
    const link = manageLink(mailTo(email));
    const response = await page.goto(link, { waitUntil: 'load' });
    expect(response?.fromServiceWorker(), 'straight from the receiver').toBe(false);
    await expect(page.getByRole('heading', { name: 'Your booking request' })).toBeVisible();
    await page.goto('/articles/back-pain');
    const kept = await page.evaluate(async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      }
      return urls;
    });
    expect(kept.some((url) => url.endsWith('/articles/back-pain')), 'the article is kept').toBe(true);
    expect(kept.filter((url) => url.includes('/manage/'))).toEqual([]);
  });
});
