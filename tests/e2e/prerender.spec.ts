import { test, expect, appReady, openInApp } from './fixtures';
import type { Page, Route } from '@playwright/test';

// Every page people land on is prerendered HTML: readable at once, and without JavaScript.
// The app then takes the page over without a visible change.

/** Holds back the app's wasm until the returned function is called. */
async function holdBackTheApp(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route: Route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Adds up layout shifts from the start of the page load (as CLS does). */
async function recordLayoutShifts(page: Page) {
  await page.addInitScript(() => {
    (window as any).__shifts = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as any[]) {
        if (!entry.hadRecentInput) (window as any).__shifts += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

test('pages are real files, self-check steps too, and unknown addresses a 404', async ({ request }) => {
  for (const path of ['/articles/back-pain', '/articles/back-pain/', '/articles', '/book', '/services']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(await response.text(), path).toContain('<h1>');
  }
  const article = await (await request.get('/articles/back-pain')).text();
  expect(article).toContain('<link href="https://www.anastasia-massage.example/articles/back-pain" rel="canonical">');
  expect(article).toContain('"@type":"Article"');
  expect(article).toContain('"@type":"FAQPage"');
  expect((article.match(/<title>/g) ?? []).length).toBe(1);
  const home = await (await request.get('/')).text();
  expect(home).toContain('"openingHoursSpecification"');

  const step = await request.get('/self-check/legs');
  expect(step.status()).toBe(200);
  expect(await step.text()).toContain('Do you have any symptoms in your legs?');
  expect((await request.get('/self-check/bogus')).status()).toBe(404);
  const unknown = await request.get('/articles/no-such-article');
  expect(unknown.status()).toBe(404);
  expect(await unknown.text()).toContain("Sorry, this page doesn't exist");
});

for (const path of ['/book', '/self-check']) {
  test(`the app takes over ${path} without moving anything`, async ({ page }) => {
    await recordLayoutShifts(page);
    const release = await holdBackTheApp(page);
    await page.goto(path, { waitUntil: 'load' });
    const before = await page.locator('#app').innerText();
    await expect(page.locator('html[data-app]')).toHaveCount(0);
    release();
    await appReady(page);
    expect(await page.locator('#app').innerText()).toBe(before);
    // One more frame, so a shift caused by the swap would have been reported.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await page.evaluate(() => (window as any).__shifts)).toBeLessThan(0.001);
  });
}

test('a reading page downloads no app until the visitor reaches for a control', async ({ page }) => {
  const appFiles: string[] = [];
  page.on('request', (r) => {
    if (/massage-site-.*\.(wasm|js)$/.test(r.url())) appFiles.push(r.url());
  });
  await page.goto('/articles/back-pain');
  // Reading: scrolling and opening the contents are not reaching for the app.
  await page.mouse.wheel(0, 3000);
  await page.locator('summary', { hasText: 'Contents' }).click();
  // start.js drops data-app-waits the moment it asks for the app: still there, none asked.
  await expect(page.locator('html[data-app-waits]')).toHaveCount(1);
  expect(appFiles, 'an article downloads no app').toEqual([]);
  // Links are ordinary links: the library loads as a page, still without the app.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Articles' }).click();
  await expect(page.locator('main h1')).toHaveText('Articles');
  await page.waitForLoadState('load');
  await expect(page.locator('html[data-app-waits]')).toHaveCount(1);
  expect(appFiles).toEqual([]);
  // Filtering needs the app: choosing a category brings it, and the choice is applied.
  await page.getByLabel('Category').selectOption('Your visit');
  await expect(page.locator('html[data-app]')).toHaveCount(1);
  await expect(page).toHaveURL(/category=Your%20visit/);
  expect(appFiles.length).toBe(2);
});

test('a search sent before the app arrived is run when it does', async ({ page }) => {
  const release = await holdBackTheApp(page);
  await page.goto('/no-such-page');
  await page.getByLabel('Search the articles').fill('sciatica');
  await page.getByRole('button', { name: 'Search' }).click();
  // Held back by the page (start.js marks the form to replay), not sent as a page load that
  // would lose the app's search.
  await expect(page.locator('form[data-replay="submit"]')).toHaveCount(1);
  await expect(page).toHaveURL(/\/no-such-page$/);
  release();
  await expect(page).toHaveURL(/\/articles\?q=sciatica$/);
  await expect(page.locator('.article-card').first()).toBeVisible();
});

test('what a visitor did before the app arrived is kept: focus and typed text', async ({ page }) => {
  const release = await holdBackTheApp(page);
  await page.goto('/book', { waitUntil: 'load' });
  await page.locator('#name').fill('Sam Taylor');
  await page.locator('#email').focus();
  release();
  await appReady(page);
  await expect(page.locator('#name')).toHaveValue('Sam Taylor');
  await expect(page.locator('#email')).toBeFocused();
  // The app's own state has the name too: it is in the draft kept for a reload.
  await page.reload();
  await expect(page.locator('#name')).toHaveValue('Sam Taylor');
});

test('in-app navigation after takeover replaces the page description', async ({ page }) => {
  // The library with a search starts the app at once and takes over its prerendered head.
  await page.goto('/articles?q=back');
  await appReady(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Services and prices');
  await expect(page.locator('meta[name="description"]')).toHaveCount(1);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', /\/services$/);
  await expect(page.locator('script[type="application/ld+json"]')).toHaveCount(0);
});

test('an article opened in the app has its own head, and leaving it removes it', async ({ page }) => {
  await openInApp(page, '/articles/back-pain');
  // Article, BreadcrumbList and FAQPage.
  await expect(page.locator('script[type="application/ld+json"]')).toHaveCount(3);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Services and prices');
  await expect(page.locator('script[type="application/ld+json"]')).toHaveCount(0);
  await expect(page.locator('meta[name="description"]')).toHaveCount(1);
});
