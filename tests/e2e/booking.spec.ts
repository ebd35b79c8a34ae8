import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, appReady, RECEIVER, storedRequests, londonDate, fillValidRequest, finishSelfCheck } from './fixtures';
import type { Page } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  await page.goto('/book');
  await appReady(page);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await appReady(page);
});

test('a filled-in request is stored once and its reference shown', async ({ page }) => {
  const name = `Sam ${Date.now()}`;
  await fillValidRequest(page, name);
  await expect(page.getByText('London time', { exact: false }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.getByRole('heading', { name: 'Your request has been sent' })).toBeFocused();
  const reference = (await page.locator('.reference').textContent())!;
  expect(reference).toMatch(/^AM-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const rows = storedRequests().filter((r) => r.request.name === name);
  expect(rows).toHaveLength(1);
  expect(rows[0].reference).toBe(reference);
  expect(rows[0].request.preferred_times).toEqual([`${londonDate(7)}T18:00`]);
  expect(rows[0].request.time_zone).toBe('Europe/London');
  // The draft is gone once the request has arrived.
  expect(await page.evaluate(() => localStorage.getItem('booking-draft'))).toBeNull();
});

test('a double tap on send stores one request', async ({ page }) => {
  const name = `Double ${Date.now()}`;
  await fillValidRequest(page, name);
  const answers: Promise<unknown>[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/api/booking-requests')) answers.push(r.response());
  });
  await page.getByRole('button', { name: 'Send booking request' }).dblclick();
  await expect(page.getByRole('heading', { name: 'Your request has been sent' })).toBeVisible();
  // Both taps were handled before the reference showed; every request they sent is answered.
  await Promise.all(answers);
  expect(answers).toHaveLength(1);
  expect(storedRequests().filter((r) => r.request.name === name)).toHaveLength(1);
});

test('mistakes get a message next to the field, a summary, and focus on the first', async ({ page }) => {
  await page.getByLabel('E-mail', { exact: true }).fill('sam@');
  await page.getByLabel('E-mail', { exact: true }).blur();
  await expect(page.locator('#email-error')).toHaveText(/e-mail address like name@example.com/);
  await expect(page.getByLabel('E-mail', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.locator('.error-summary')).toContainText('Choose at least one date and time.');
  await expect(page.locator('.error-summary')).toContainText('Enter your name.');
  await expect(page.locator('#time-date-0')).toBeFocused();
  await page.locator('.error-summary').getByRole('link', { name: 'Enter your name.' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
});

test('a problem with the second choice of time is shown on that choice', async ({ page }) => {
  await page.getByRole('button', { name: 'Add another time' }).click();
  await page.locator('#time-date-1').fill(londonDate(100));
  await page.locator('#time-time-1').selectOption('12:00');
  await expect(page.locator('#time-1-error')).toContainText('within the next 90 days');
  await expect(page.locator('#time-0-error')).toHaveCount(0);
  await page.getByLabel('Name', { exact: true }).fill('Sam');
  await page.getByLabel('E-mail', { exact: true }).fill('sam@example.com');
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.locator('#time-date-1')).toBeFocused();
});

test('an outcall outside London says how to ask anyway', async ({ page }) => {
  await page.getByLabel(/^Outcall/).check();
  await page.getByLabel('Postcode', { exact: true }).fill('M1 1AE');
  await page.getByLabel('Postcode', { exact: true }).blur();
  await expect(page.locator('#postcode-error')).toContainText('outside the area I travel to');
  await expect(page.locator('#postcode-error')).toContainText('bookings@example.com');
});

test('the draft survives a reload', async ({ page }) => {
  await page.getByLabel('Name', { exact: true }).fill('Kept Name');
  await page.getByLabel('Phone', { exact: true }).fill('07700 900123');
  await page.reload();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Kept Name');
  await expect(page.getByLabel('Phone', { exact: true })).toHaveValue('07700 900123');
});

test('a 422 from the receiver puts its message next to the right field', async ({ page, consoleErrors }) => {
  // The phone's clock is three days slow: the form thinks "its" tomorrow is fine; the
  // receiver, on the real clock, says that time has passed.
  const slow = Date.now() - 3 * 86_400_000;
  await page.clock.setFixedTime(new Date(slow));
  await page.reload();
  await appReady(page);
  await fillValidRequest(page, `Late ${Date.now()}`);
  await page.locator('#time-date-0').fill(londonDate(1, slow));
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.locator('#time-0-error')).toContainText('at least an hour from now');
  await expect(page.locator('.error-summary')).toContainText('at least an hour from now');
  await expect(page.locator('#time-date-0')).toBeFocused();
  // The browser logs the 422 response itself; nothing else may appear.
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !e.includes('status of 422')));
});

test('the self-check summary is attached only with the separate consent', async ({ page }) => {
  // Finish the self-check with a "suitable" result in this tab.
  await finishSelfCheck(page, {
    emergency_signs: ['none'], urgent_signs: ['none'], knock: ['no'], about_you: ['none'], started: ['over_12_weeks'], where: ['lower'],
    legs: ['none'], diagnosis: ['none'], pregnant: ['no'], cause: ['sitting'],
  });
  await page.goto('/book');
  await appReady(page);
  const consent = page.getByRole('checkbox', { name: /may use the health information/ });
  await expect(consent).not.toBeChecked();
  await expect(page.locator('.health__summary')).toContainText('More than 12 weeks ago');
  const name = `Consent ${Date.now()}`;
  await fillValidRequest(page, name);
  await consent.check();
  expect(await page.evaluate(() => localStorage.getItem('booking-draft') ?? '')).not.toContain('12 weeks');
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.getByRole('heading', { name: 'Your request has been sent' })).toBeVisible();
  const [row] = storedRequests().filter((r) => r.request.name === name);
  expect(row.consent_version).toBe('health-2026-11');
  expect(row.request.health.summary).toContain('More than 12 weeks ago');
});

test.describe('with a receiver that goes down', () => {
  let receiver: ChildProcess | undefined;
  let port: number;
  let database: string;

  const startReceiver = async () => {
    receiver = spawn(RECEIVER, ['--listen', `127.0.0.1:${port}`, '--site', 'dist', '--database', database], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error('the receiver did not start');
  };
  const stopReceiver = async () => {
    const r = receiver!;
    const exited = new Promise((resolve) => r.once('exit', resolve));
    r.kill('SIGTERM');
    await exited;
  };

  test.beforeEach(({}, testInfo) => {
    port = 18_300 + testInfo.workerIndex * 10 + (testInfo.project.name === 'phone-320' ? 1 : 0);
    database = join(mkdtempSync(join(tmpdir(), 'booking-e2e-')), 'bookings.sqlite');
  });
  test.afterEach(async () => {
    if (receiver && receiver.exitCode === null) await stopReceiver();
  });

  test('the request waits in the outbox, then arrives exactly once', async ({ page, consoleErrors }) => {
    await startReceiver();
    await page.goto(`http://127.0.0.1:${port}/book`);
    await appReady(page);
    const name = `Outbox ${Date.now()}`;
    await fillValidRequest(page, name);
    await stopReceiver();
    await page.getByRole('button', { name: 'Send booking request' }).click();
    await expect(page.getByRole('heading', { name: /Saved on this phone/ })).toBeVisible({ timeout: 60_000 });
    expect(await page.evaluate(() => localStorage.getItem('booking-outbox'))).toContain(name);
    await startReceiver();
    await page.reload(); // the next visit
    await expect(page.getByRole('heading', { name: 'Your request has been sent' })).toBeVisible();
    expect(storedRequests(database).filter((r) => r.request.name === name)).toHaveLength(1);
    expect(await page.evaluate(() => localStorage.getItem('booking-outbox'))).toBeNull();
    // The attempts while the receiver was down are logged by the browser: expected here.
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED')));
  });

  // Reading pages leave the app unloaded, and the self-check's own app has no outbox: on
  // both, a request waiting on the phone starts the site's app, which sends it.
  for (const next of ['/articles/back-pain', '/self-check']) {
    test(`a request saved on the phone is sent when the next visit is to ${next}`, async ({ page, consoleErrors }) => {
      await startReceiver();
      await page.goto(`http://127.0.0.1:${port}/book`);
      await appReady(page);
      const name = `Next visit ${Date.now()}`;
      await fillValidRequest(page, name);
      await stopReceiver();
      await page.getByRole('button', { name: 'Send booking request' }).click();
      await expect(page.getByRole('heading', { name: /Saved on this phone/ })).toBeVisible({ timeout: 60_000 });
      await startReceiver();
      await page.goto(`http://127.0.0.1:${port}${next}`);
      await expect(page.getByText(/Your booking request has been sent/)).toBeVisible();
      expect(storedRequests(database).filter((r) => r.request.name === name)).toHaveLength(1);
      expect(await page.evaluate(() => localStorage.getItem('booking-outbox'))).toBeNull();
      // The attempts while the receiver was down are logged by the browser: expected here.
      consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED')));
    });
  }
});

test('the form can be filled and sent with the keyboard alone, skipping the hidden field', async ({ page }) => {
  const visited: string[] = [];
  await page.locator('#service_id').focus();
  for (let i = 0; i < 40; i++) {
    const id = await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || '');
    visited.push(id);
    // The send button's id is `request`: whole-request messages belong to it.
    if (id === 'request') break;
    await page.keyboard.press('Tab');
  }
  expect(visited).not.toContain('leave-empty');
  const order = ['service_id', 'minutes', 'time-date-0', 'name', 'email', 'phone', 'notes', 'request'];
  const positions = order.map((id) => visited.indexOf(id));
  expect(positions.every((p) => p >= 0), `visited: ${visited.join(', ')}`).toBe(true);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  await page.keyboard.press('Enter');
  await expect(page.locator('.error-summary')).toBeVisible();
});
