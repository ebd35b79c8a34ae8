import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, appReady, londonDate, finishSelfCheck, signIn, expectNoViolations } from './fixtures';
import type { Page } from '@playwright/test';

// The therapist's inbox on her phone: tests/e2e/serve.sh gives it a password (fixtures.ts)
// and sends every e-mail to a loopback SMTP sink that writes them to var/e2e/mail/.
const MAIL = 'var/e2e/mail';

/** The UTC time (HHMM) of a London wall-clock time on `date`. */
function utcOf(date: string, hour: number): string {
  const asUtc = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const londonHour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(asUtc),
  );
  return `${String(hour - (londonHour - hour)).padStart(2, '0')}00`;
}

/** The e-mails sent to `to` so far. */
function mailTo(to: string): string[] {
  if (!existsSync(MAIL)) return [];
  return readdirSync(MAIL)
    .sort()
    .map((f) => readFileSync(join(MAIL, f), 'utf8'))
    .filter((m) => m.includes(`To: ${to}`));
}

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'phone-390', 'the inbox is checked on the 390x844 phone');
});

test('a request from the form is read and confirmed in the inbox, and the client gets the invite', async ({ page }) => {
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

  // The therapist, on her phone: signs in and lands on the list.
  await page.goto('/inbox', { waitUntil: 'load' });
  await signIn(page);
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
  test(`inbox pages have no accessibility violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const response = await page.request.post('/api/booking-requests', {
      headers: { 'Idempotency-Key': crypto.randomUUID(), Accept: 'application/json' },
      data: {
        service_id: 'deep-tissue',
        minutes: 60,
        location: 'outcall',
        address: 'Flat 2, 14 Example Road',
        postcode: 'SW4 7AA',
        preferred_times: [`${londonDate(9)}T14:00`],
        name: `Axe ${scheme} <script>alert(1)</script>`,
        phone: '07700 900123',
      },
    });
    expect(response.status()).toBe(201);
    const { reference } = await response.json();

    await page.goto(`/inbox/requests/${reference}`, { waitUntil: 'load' });
    await expectNoViolations(page, 'the sign-in page');
    await signIn(page);
    await expect(page.getByRole('heading', { name: `Request ${reference}` })).toBeVisible();
    // Hostile text is shown as text; a phone-only client is called or texted.
    await expect(page.getByText(`Axe ${scheme} <script>alert(1)</script>`)).toBeVisible();
    await expect(page.getByText('call or text to confirm')).toBeVisible();
    await expect(page.getByRole('link', { name: '07700 900123' }).first()).toHaveAttribute('href', 'tel:07700900123');
    await expectNoViolations(page, 'a request page');
    await page.getByRole('link', { name: 'All requests' }).click();
    await expect(page.getByRole('heading', { name: 'Booking requests' })).toBeVisible();
    await expectNoViolations(page, 'the list');
  });
}

// Issue 22: the visitor is offered only the times she has free.
test('a confirmed time is no longer offered, and a page opened before is told it was taken', async ({ page, browser }) => {
  const day = londonDate(20);
  const choose = async (visitor: Page) => {
    await visitor.goto('/book');
    await appReady(visitor);
    await visitor.getByLabel('Treatment', { exact: true }).selectOption({ label: 'Deep tissue massage' });
    await visitor.getByLabel('Length and price').selectOption({ label: '60 minutes – £80' });
    await visitor.getByLabel(/^In-call/).check();
    await visitor.locator('#time-date-0').fill(day);
  };
  // A visitor who opened the page before: 16:00 is offered, and chosen.
  const early = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await choose(early);
  await expect(early.locator('#time-time-0 option[value="16:00"]')).toHaveCount(1);
  await early.locator('#time-time-0').selectOption('16:00');

  // Someone else asks for 16:00 and the therapist confirms it.
  const response = await page.request.post('/api/booking-requests', {
    headers: { 'Idempotency-Key': crypto.randomUUID(), Accept: 'application/json' },
    data: {
      service_id: 'deep-tissue', minutes: 60, location: 'in_call',
      preferred_times: [`${day}T16:00`], name: 'First come', email: 'first@example.com',
    },
  });
  expect(response.status()).toBe(201);
  const { reference } = await response.json();
  await page.goto(`/inbox/requests/${reference}`, { waitUntil: 'load' });
  await signIn(page);
  await page.getByRole('button', { name: 'Confirm and e-mail the client' }).click();
  await expect(page.locator('p.status')).toContainText(/^Confirmed: .*16:00$/);

  // A new visitor is not offered 16:00 (nor the starts that would run into it), 14:30 still.
  const later = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await choose(later);
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
