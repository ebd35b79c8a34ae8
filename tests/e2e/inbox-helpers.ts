import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, expectNoViolations, signIn, appReady } from './fixtures';
import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';

type Cookies = Awaited<ReturnType<BrowserContext['cookies']>>;

// The therapist's inbox on her phone: tests/e2e/serve.sh gives it a password (fixtures.ts)
// and sends every e-mail to a loopback SMTP sink that writes them to var/e2e/mail/.
const MAIL = 'var/e2e/mail';

/**
 * A request sent straight to the receiver as the app sends it (a 60-minute in-call deep
 * tissue, unless `fields` say otherwise); its reference.
 */
export async function sendRequest(request: APIRequestContext, fields: Record<string, unknown>): Promise<string> {
  const response = await request.post('/api/booking-requests', {
    headers: { 'Idempotency-Key': crypto.randomUUID(), Accept: 'application/json' },
    data: { service_id: 'deep-tissue', minutes: 60, location: 'in_call', ...fields },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).reference;
}

/** A new visitor's booking form for a 60-minute in-call deep tissue on `day`. */
export async function bookingFormOn(browser: Browser, day: string): Promise<Page> {
  const visitor = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await visitor.goto('/book');
  await appReady(visitor);
  await visitor.getByLabel('Treatment', { exact: true }).selectOption({ label: 'Deep tissue massage' });
  await visitor.getByLabel('Length and price').selectOption({ label: '60 minutes – £80' });
  await visitor.getByLabel(/^In-call/).check();
  await visitor.locator('#time-date-0').fill(day);
  return visitor;
}

/** The UTC time (HHMM) of a London wall-clock time on `date`. */
export function utcOf(date: string, hour: number): string {
  const asUtc = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const londonHour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(asUtc),
  );
  return `${String(hour - (londonHour - hour)).padStart(2, '0')}00`;
}

/** The e-mails sent to `to` so far, as sent. */
export function mailTo(to: string): string[] {
  if (!existsSync(MAIL)) return [];
  return readdirSync(MAIL)
    .sort()
    .map((f) => readFileSync(join(MAIL, f), 'utf8'))
    .filter((m) => m.includes(`To: ${to}`));
}

/** An e-mail's text as its reader sees it: quoted-printable soft breaks and escapes undone. */
export function readable(mail: string): string {
  return mail
    .replace(/=\r?\n/g, '')
    .replace(/(?:=[0-9A-F]{2})+/g, (run) => {
      const bytes = run.split('=').slice(1).map((h) => parseInt(h, 16));
      return Buffer.from(bytes).toString('utf8');
    });
}


/**
 * The inbox specs' `test`: `inboxCookies` is the therapist's session, signed in once per
 * worker (by keyboard, as she does). The inbox allows 5 sign-in attempts per address in 15
 * minutes and every spec signs in from 127.0.0.1, so each test reuses this session
 * (`signedIn`) instead of signing in again.
 */
export const test = base.extend<{}, { inboxCookies: Cookies }>({
  inboxCookies: [
    async ({ browser }, use, workerInfo) => {
      // The inbox is checked on the 390 px phone only: other projects' workers never sign in.
      if (workerInfo.project.name !== 'phone-390') return use([]);
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL, serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto('/inbox', { waitUntil: 'load' });
      await signIn(page);
      await expect(page.getByRole('heading', { name: 'Booking requests' })).toBeVisible();
      const cookies = await context.cookies();
      await context.close();
      await use(cookies);
    },
    { scope: 'worker' },
  ],
});

/** Signs `page`'s browser in to the inbox with the worker's session. */
export async function signedIn(page: Page, cookies: Cookies) {
  await page.context().addCookies(cookies);
}

export { expectNoViolations };
