import { expect, appReady, londonDate, finishSelfCheck } from './fixtures';
import { test, bookingFormOn, expectNoViolations, mailTo, sendRequest, signedIn, utcOf } from './inbox-helpers';
import type { Page } from '@playwright/test';
import { renameSync } from 'node:fs';

/** Her own calendar's feed, as tests/e2e/serve.sh serves it. */
const CALENDAR = 'var/e2e/calendar.ics';

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'phone-390', 'the inbox is checked on the 390x844 phone');
});

test('a request from the form is read and confirmed in the inbox, and the client gets the invite', async ({ page, inboxCookies }) => {
  // The visitor: a self-check result in this tab, then the real booking form.
  await page.goto('/book');
  await appReady(page);
  await page.evaluate(() => localStorage.clear());
  await finishSelfCheck(page, {
    emergency_signs: ['none'], urgent_signs: ['none'], knock: ['no'], about_you: ['none'], started: ['over_12_weeks'], where: ['lower'],
    legs: ['none'], diagnosis: ['none'], pregnant: ['no'], cause: ['sitting'],
  });
  await page.goto('/book');
  await appReady(page);
  const stamp = Date.now();
  const name = `Inbox ${stamp}`;
  const email = `client-${stamp}@example.com`;
  const [first, second] = [londonDate(7), londonDate(8)];
  await page.getByLabel('Treatment', { exact: true }).selectOption({ label: 'Deep tissue massage' });
  await page.getByLabel('Length and price').selectOption({ label: '60 minutes – £80' });
  await page.getByLabel(/^In-call/).check();
  await page.locator('#time-date-0').fill(first);
  await page.locator('#time-time-0').selectOption('18:00');
  await page.getByRole('button', { name: 'Add another time' }).click();
  await page.locator('#time-date-1').fill(second);
  await page.locator('#time-time-1').selectOption('12:00');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByRole('checkbox', { name: /may use the health information/ }).check();
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.getByRole('heading', { name: 'Your request has been sent' })).toBeVisible();
  const reference = (await page.locator('.reference').textContent())!.trim();

  // The therapist, on her phone, signed in: the list.
  await signedIn(page, inboxCookies);
  await page.goto('/inbox', { waitUntil: 'load' });
  await expect(page.getByRole('heading', { name: 'Booking requests' })).toBeVisible();
  const row = page.getByRole('listitem').filter({ hasText: reference });
  await expect(row).toContainText('health details included');
  await row.getByRole('link').click();

  await expect(page.getByRole('heading', { name: `Request ${reference}` })).toBeVisible();
  await expect(page.locator('.health')).toContainText('More than 12 weeks ago');
  await expect(page.getByRole('link', { name: email })).toHaveAttribute('href', `mailto:${email}`);
  const times = page.getByRole('group', { name: 'Confirm a time (London)' });
  await times.getByRole('radio').nth(1).check();
  await page.getByRole('button', { name: 'Confirm and e-mail the client' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.locator('p.status')).toContainText(/^Confirmed: .*12:00$/);
  await expect(page.getByRole('button', { name: /^Confirm/ })).toHaveCount(0);

  // The client's e-mail: a receipt, then the confirmation with its calendar invite.
  await expect.poll(() => mailTo(email).filter((m) => m.includes('BEGIN:VCALENDAR')).length, { timeout: 15_000 }).toBe(1);
  const confirmation = mailTo(email).find((m) => m.includes('BEGIN:VCALENDAR'))!;
  expect(confirmation).toContain('text/calendar');
  expect(confirmation).toContain('METHOD:REQUEST');
  expect(confirmation).toContain('STATUS:CONFIRMED');
  expect(confirmation).toContain(`UID:${reference}@127.0.0.1`);
  expect(confirmation).toContain(`DTSTART:${second.replaceAll('-', '')}T${utcOf(second, 12)}00Z`);
  expect(mailTo(email).some((m) => m.includes('received'))).toBe(true);
  for (const mail of mailTo(email)) expect(mail).not.toContain('More than 12 weeks ago');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`inbox pages have no accessibility violations (${scheme})`, async ({ page, inboxCookies }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const day = londonDate(scheme === 'light' ? 9 : 10);
    const response = await page.request.post('/api/booking-requests', {
      headers: { 'Idempotency-Key': crypto.randomUUID(), Accept: 'application/json' },
      data: {
        service_id: 'deep-tissue',
        minutes: 60,
        location: 'outcall',
        address: 'Flat 2, 14 Example Road',
        postcode: 'SW4 7AA',
        preferred_times: [`${day}T14:00`],
        name: `Axe ${scheme} <script>alert(1)</script>`,
        phone: '07700 900123',
      },
    });
    expect(response.status()).toBe(201);
    const { reference } = await response.json();

    await page.goto(`/inbox/requests/${reference}`, { waitUntil: 'load' });
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expectNoViolations(page, 'the sign-in page');
    await signedIn(page, inboxCookies);
    await page.goto(`/inbox/requests/${reference}`, { waitUntil: 'load' });
    await expect(page.getByRole('heading', { name: `Request ${reference}` })).toBeVisible();
    // Hostile text is shown as text; a phone-only client is called or texted.
    await expect(page.getByText(`Axe ${scheme} <script>alert(1)</script>`)).toBeVisible();
    await expect(page.getByText('call or text to confirm')).toBeVisible();
    await expect(page.getByRole('link', { name: '07700 900123' }).first()).toHaveAttribute('href', 'tel:07700900123');
    await expectNoViolations(page, 'a request page');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect(page.locator('p.status')).toContainText(/^Confirmed: /);
    await page.getByRole('link', { name: 'All requests' }).click();
    await expect(page.getByRole('heading', { name: 'Booking requests' })).toBeVisible();
    await expectNoViolations(page, 'the list');

    // The booking to come, with its forms to move or cancel it.
    await page.getByRole('link', { name: new RegExp(reference) }).click();
    await expect(page.locator('p.status')).toContainText(/^Confirmed: .*14:00$/);
    await expect(page.getByRole('heading', { name: 'Change this booking' })).toBeVisible();
    await expectNoViolations(page, 'a booking to come');

    // The diary (issue 22), from the header: the day of the booking, with its journeys and
    // an evening blocked; the block form with its errors; the week.
    await page.getByRole('link', { name: 'Diary', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Diary: week of / })).toBeVisible();
    await page.goto(`/inbox/diary?date=${day}&view=day`, { waitUntil: 'load' });
    const block = page.getByRole('region', { name: 'Block time' });
    await block.getByLabel('From').fill(scheme === 'light' ? '19:00' : '20:00');
    await block.getByLabel('To', { exact: true }).fill(scheme === 'light' ? '20:00' : '21:00');
    await block.getByLabel(/^Note/).fill(`Axe ${scheme} <b>note</b>`);
    await block.getByRole('button', { name: 'Block this time' }).click();
    await expect(page.getByText(`Blocked: Axe ${scheme} <b>note</b>`)).toBeVisible();
    await expect(page.locator('.item.booking').filter({ hasText: `Axe ${scheme}` })).toContainText('Outcall, SW4');
    await expect(page.locator('.item.travel').first()).toContainText('Travel, ');
    await expectNoViolations(page, 'the diary (a day)');
    // Readable on the narrowest phone: nothing wider than the screen.
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await page.setViewportSize({ width: 390, height: 844 });
    await block.getByLabel('From').fill('21:00');
    await block.getByLabel('To', { exact: true }).fill('20:00');
    await block.getByRole('button', { name: 'Block this time' }).click();
    await expect(page.locator('#block-to-error')).toHaveText(/It ends before it starts/);
    await expect(block.getByLabel('To', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expectNoViolations(page, 'the block form with an error');
    await page.getByRole('link', { name: 'Week', exact: true }).click();
    await expect(page.locator('section.day')).toHaveCount(7);
    await expectNoViolations(page, 'the diary (a week)');
  });
}

/** Nothing on the page is wider than the screen. */
async function fitsTheScreen(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

// Issue 22's review: on the narrowest phone, the week, a block over a confirmed booking (the
// covered-bookings question, in view when the page comes back), and the banner when her
// calendar cannot be read: each fits 320 px and is axe-clean.
test('the diary at 320 px: a week, blocking over a booking, and her calendar failing', async ({ page, inboxCookies }) => {
  const day = londonDate(33);
  const reference = await sendRequest(page.request, {
    preferred_times: [`${day}T13:00`], name: 'Covered Client', email: 'covered@example.com',
  });
  await signedIn(page, inboxCookies);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`/inbox/requests/${reference}`, { waitUntil: 'load' });
  await page.getByRole('button', { name: 'Confirm and e-mail the client' }).click();
  await expect(page.locator('p.status')).toContainText(/^Confirmed: /);

  // The whole day over the booking: asked first, the question in view at once.
  await page.goto(`/inbox/diary?date=${day}&view=day`, { waitUntil: 'load' });
  const block = page.getByRole('region', { name: 'Block time' });
  await block.getByLabel('The whole day').check();
  await block.getByLabel(/^Note/).fill('Day off');
  await block.getByRole('button', { name: 'Block this time' }).click();
  const covers = page.locator('#block-covers');
  await expect(covers).toContainText('This time includes confirmed bookings');
  await expect(covers.getByRole('link', { name: /Covered Client/ })).toBeVisible();
  await expect(covers).toBeInViewport();
  await fitsTheScreen(page, 320);
  await expectNoViolations(page, 'the block form asking about a booking it covers');
  await block.getByRole('button', { name: 'Block anyway' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'those times are no longer offered' })).toBeVisible();
  await expect(page.locator('.item.blocked')).toContainText('Blocked: Day off');
  await expect(page.locator('.item.booking')).toContainText('Covered Client');

  // The week.
  await page.getByRole('link', { name: 'Week', exact: true }).click();
  await expect(page.locator('section.day')).toHaveCount(7);
  await expect(page.getByRole('link', { name: 'Diary', exact: true })).toHaveAttribute('aria-current', 'page');
  await fitsTheScreen(page, 320);
  await expectNoViolations(page, 'the diary (a week) at 320 px');

  // Her calendar stops answering: after three fetches the banner is on every page.
  renameSync(CALENDAR, `${CALENDAR}.away`);
  try {
    const banner = page.getByText(/^Your calendar \(127\.0\.0\.1:\d+\) could not be read since .*\. Anything added since may be offered to clients\.$/);
    await expect(async () => {
      await page.reload({ waitUntil: 'load' });
      await expect(banner).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await fitsTheScreen(page, 320);
    await expectNoViolations(page, 'the diary with the calendar banner');
    await page.goto('/inbox', { waitUntil: 'load' });
    await expect(banner).toBeVisible();
  } finally {
    renameSync(`${CALENDAR}.away`, CALENDAR);
  }
  await expect(async () => {
    await page.reload({ waitUntil: 'load' });
    await expect(page.getByText(/could not be read since/)).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});

// Issue 22: time she blocks is not offered to visitors.
test('a blocked evening is not offered in the booking form', async ({ page, browser, inboxCookies }) => {
  const day = londonDate(25);
  await signedIn(page, inboxCookies);
  await page.goto('/inbox/diary', { waitUntil: 'load' });
  await expect(page.getByRole('heading', { level: 1, name: /^Diary/ })).toBeVisible();
  const block = page.getByRole('region', { name: 'Block time' });
  await block.getByLabel('Day', { exact: true }).fill(day);
  await block.getByLabel('From').fill('18:00');
  await block.getByLabel('To', { exact: true }).fill('22:00');
  await block.getByLabel(/^Note/).fill('Theatre');
  await block.getByRole('button', { name: 'Block this time' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'those times are no longer offered' })).toBeVisible();
  await expect(page.locator('.item.blocked')).toContainText('18:00–22:00');

  const visitor = await bookingFormOn(browser, day);
  // Once the receiver has answered: nothing that runs into the evening, the afternoon still.
  for (const taken of ['17:30', '18:00', '19:00', '21:00']) {
    await expect(visitor.locator(`#time-time-0 option[value="${taken}"]`)).toHaveCount(0);
  }
  await expect(visitor.locator('#time-time-0 option[value="17:00"]')).toHaveCount(1);
  await visitor.close();
});

// Issue 22: two tabs confirm two requests for the same time; the second is refused.
test('a second confirmation of a clashing time is refused next to the time, naming the first booking', async ({ page, request, inboxCookies }) => {
  const time = `${londonDate(30)}T15:00`;
  const send = (name: string) => sendRequest(request, { preferred_times: [time], name, email: 'tabs@example.com' });
  const first = await send('Early Bird');
  const second = await send('Second Tab');
  await signedIn(page, inboxCookies);
  await page.goto(`/inbox/requests/${first}`, { waitUntil: 'load' });
  // Both pages open before either is confirmed: neither shows the time as taken.
  const other = await page.context().newPage();
  await other.goto(`/inbox/requests/${second}`);
  await expect(other.getByRole('heading', { name: `Request ${second}` })).toBeVisible();
  await expect(other.locator('.clash')).toHaveCount(0);

  await page.getByRole('button', { name: 'Confirm and e-mail the client' }).click();
  await expect(page.locator('p.status')).toContainText(/^Confirmed: .*15:00$/);
  await other.getByRole('button', { name: 'Confirm and e-mail the client' }).click();
  const times = other.getByRole('group', { name: 'Confirm a time (London)' });
  await expect(times.locator('#time-error')).toHaveText(
    "This time is taken: it overlaps with Early Bird's 15:00 in-call session (buffer 15 min). Choose another time.",
  );
  await expect(times).toHaveAttribute('aria-describedby', 'time-error');
  await expect(other.locator('p.status')).toHaveText('New');
  await other.close();
});

// Issue 22: the visitor is offered only the times she has free.
test('a confirmed time is no longer offered, and a page opened before is told it was taken', async ({ page, browser, inboxCookies }) => {
  const day = londonDate(20);
  // A visitor who opened the page before: 16:00 is offered, and chosen.
  const early = await bookingFormOn(browser, day);
  await expect(early.locator('#time-time-0 option[value="16:00"]')).toHaveCount(1);
  await early.locator('#time-time-0').selectOption('16:00');

  // Someone else asks for 16:00 and the therapist confirms it.
  const reference = await sendRequest(page.request, {
    preferred_times: [`${day}T16:00`], name: 'First come', email: 'first@example.com',
  });
  await signedIn(page, inboxCookies);
  await page.goto(`/inbox/requests/${reference}`, { waitUntil: 'load' });
  await page.getByRole('button', { name: 'Confirm and e-mail the client' }).click();
  await expect(page.locator('p.status')).toContainText(/^Confirmed: .*16:00$/);

  // A new visitor is not offered 16:00 (nor the starts that would run into it), 14:30 still.
  const later = await bookingFormOn(browser, day);
  await expect(later.locator('#time-time-0 option[value="14:30"]')).toHaveCount(1);
  await expect(later.locator('#time-time-0 option[value="16:00"]')).toHaveCount(0);
  await expect(later.locator('#time-time-0 option[value="15:30"]')).toHaveCount(0);

  // The page opened before sends 16:00 anyway: refused next to that choice, nothing lost.
  await early.getByLabel('Name', { exact: true }).fill('Second');
  await early.getByLabel('E-mail', { exact: true }).fill('second@example.com');
  await early.getByRole('button', { name: 'Send booking request' }).click();
  await expect(early.locator('.time-row').first()).toContainText('This time has just been booked');
  await expect(early.getByLabel('Name', { exact: true })).toHaveValue('Second');
  // And it asks again: 16:00 is no longer offered there either.
  await expect(early.locator('#time-time-0 option[value="16:00"]')).toHaveCount(0);
  await early.close();
  await later.close();
});
