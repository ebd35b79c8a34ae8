import AxeBuilder from '@axe-core/playwright';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, appReady, RECEIVER, storedRequests, fillValidRequest } from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';

// The service worker (sw.js, written by the build): pages read here open with no signal, the
// booking outbox still delivers, and a new deploy shows on the next visit.
//
// Each test serves its own copy of dist/ with its own receiver, so that it can take the
// network away (stop the receiver: the worker's fetches fail as with no signal; Playwright's
// offline mode alone does not reach a service worker) and deploy a change, without touching
// the site the other specs use.


// The other specs block service workers (playwright.config.ts); these are about it.
test.use({ serviceWorkers: 'allow' });

class Site {
  receiver: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'offline-e2e-'));
  readonly site = join(this.dir, 'site');
  readonly database = join(this.dir, 'bookings.sqlite');

  constructor(readonly port: number) {
    cpSync('dist', this.site, { recursive: true });
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.receiver = spawn(
      RECEIVER,
      ['--listen', `127.0.0.1:${this.port}`, '--site', this.site, '--database', this.database, '--rate-limit', '1000'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200; i++) {
      try {
        await fetch(`${this.base}/`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error('the receiver did not start');
  }

  async stop() {
    const r = this.receiver;
    if (!r || r.exitCode !== null) return;
    const exited = new Promise((resolve) => r.once('exit', resolve));
    r.kill('SIGTERM');
    await exited;
  }

  /** A file of the deployed site, changed as a new deploy would (its compressed copies go). */
  edit(file: string, change: (text: string) => string) {
    const path = join(this.site, file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    expect(after, `${file} changed`).not.toBe(before);
    writeFileSync(path, after);
    // Deployed a minute later: the receiver's Last-Modified has one-second steps, and a test
    // is quicker than that.
    const later = new Date(Date.now() + 60_000);
    utimesSync(path, later, later);
    rmSync(`${path}.br`, { force: true });
    rmSync(`${path}.gz`, { force: true });
  }

  title(slug: string): string {
    const index = JSON.parse(readFileSync(join(this.site, 'content/library.json'), 'utf8'));
    return index.articles.find((a: { slug: string }) => a.slug === slug).title;
  }

  storedRequests(): any[] {
    return storedRequests(this.database);
  }
}

let site: Site;

test.beforeEach(async ({}, testInfo) => {
  site = new Site(18_400 + testInfo.workerIndex * 10 + (testInfo.project.name === 'phone-320' ? 1 : 0));
  await site.start();
});

test.afterEach(async ({ consoleErrors }) => {
  await site.stop();
  rmSync(site.dir, { recursive: true, force: true });
  // With no signal the browser logs the requests that failed: expected here.
  const offline = /ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|ERR_FAILED|Failed to fetch|FetchEvent/;
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !offline.test(e)));
});

/** Waits until the service worker runs this page, and has kept it to read offline. */
async function kept(page: Page, path: string) {
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect
    .poll(() => page.evaluate(async (p) => (await caches.match(p)) !== undefined, path), { message: `${path} kept` })
    .toBe(true);
}

async function noSignal(context: BrowserContext) {
  await site.stop();
  await context.setOffline(true);
}

async function signalBack(context: BrowserContext) {
  await site.start();
  await context.setOffline(false);
}

test('two articles read here open with no signal; another shows the offline page listing them', async ({
  page,
  context,
}) => {
  const [first, second, unread] = ['back-pain', 'first-massage-appointment', 'sports-massage-and-recovery'];
  // The first page a visitor reads is kept too, though it loaded before the worker existed.
  await page.goto(`${site.base}/articles/${first}`);
  await kept(page, `/articles/${first}`);
  await page.goto(`${site.base}/articles/${second}`);
  await kept(page, `/articles/${second}`);

  await noSignal(context);
  for (const slug of [first, second]) {
    await page.goto(`${site.base}/articles/${slug}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(site.title(slug));
    // Styled as online: the stylesheet is in the page.
    await expect(page.locator('body')).not.toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
  }

  // The offline page never starts the app (at this address it would look for the article).
  await page.goto(`${site.base}/articles/${unread}`, { waitUntil: 'load' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are offline');
  const saved = page.locator('[data-saved-articles] a');
  await expect(saved).toHaveCount(2);
  for (const slug of [first, second]) {
    await expect(saved.filter({ hasText: site.title(slug) })).toHaveAttribute('href', `/articles/${slug}`);
  }
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`), 'the offline page is accessible').toEqual([]);
  // A saved article opens from the list.
  await saved.filter({ hasText: site.title(second) }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(site.title(second));
});

test('the therapist\'s inbox is never kept or answered by the worker', async ({ page, context }) => {
  await page.goto(`${site.base}/articles/back-pain`);
  await kept(page, '/articles/back-pain');
  const inbox = await page.goto(`${site.base}/inbox`, { waitUntil: 'load' });
  expect(inbox?.fromServiceWorker(), 'straight from the receiver').toBe(false);
  expect(await page.evaluate(async () => (await caches.match('/inbox')) === undefined)).toBe(true);
  // With no signal the browser shows its own error: never a copy, never the offline page.
  await noSignal(context);
  await expect(page.goto(`${site.base}/inbox`, { waitUntil: 'load' })).rejects.toThrow(/ERR_/);
});

test('a booking request sent with no signal is delivered once when the signal is back', async ({
  page,
  context,
}) => {
  await page.goto(`${site.base}/book`);
  await appReady(page);
  await kept(page, '/book');
  const name = `Offline ${Date.now()}`;
  await fillValidRequest(page, name);

  await noSignal(context);
  await page.getByRole('button', { name: 'Send booking request' }).click();
  await expect(page.getByRole('heading', { name: /Saved on this phone/ })).toBeVisible({ timeout: 60_000 });
  expect(site.storedRequests()).toHaveLength(0);

  // No reload: the phone comes back online and the page sends what waits.
  await signalBack(context);
  await expect(page.getByRole('heading', { name: 'Your request has been sent' })).toBeVisible({ timeout: 60_000 });
  expect(await page.evaluate(() => localStorage.getItem('booking-outbox'))).toBeNull();
  expect(site.storedRequests().filter((r) => r.request.name === name)).toHaveLength(1);
  // The next visit sends nothing again.
  await page.reload();
  await appReady(page);
  expect(site.storedRequests().filter((r) => r.request.name === name)).toHaveLength(1);
});

test('after a new deploy with changed text, the next visit shows the new text', async ({ page }) => {
  const path = '/articles/back-pain';
  await page.goto(site.base + path);
  await kept(page, path);
  const title = site.title('back-pain');
  const worker = () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('core-')));
  const [before] = await worker();

  // The deploy: the article's text and the worker's version change (as a rebuild would write
  // them), the app stays the same.
  const version = /const VERSION = '([0-9a-f]+)';/;
  const next = 'feedfacecafebeef';
  site.edit(`articles/back-pain/index.html`, (html) => html.replaceAll(`>${title}</h1>`, `>${title}, revised</h1>`));
  site.edit('sw.js', (js) => js.replace(version, `const VERSION = '${next}';`));

  await page.goto(site.base + path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${title}, revised`);
  // The new worker takes over and drops the old deploy's files.
  await expect.poll(worker).toEqual([`core-${next}`]);
  expect(before).not.toBe(`core-${next}`);
  // And the page it keeps is the new one.
  await page.goto(site.base + path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${title}, revised`);
});

