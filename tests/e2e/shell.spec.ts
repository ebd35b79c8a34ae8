import { test, expect, appReady, openInApp } from './fixtures';

const routes = [
  { path: '/', h1: /Massage therapy in London/, title: /Massage therapy in London/ },
  { path: '/articles', h1: /Articles/, title: /^Articles \|/ },
  { path: '/self-check', h1: /self-check/i, title: /self-check/i },
  { path: '/book', h1: /Request a booking/, title: /^Book a massage \|/ },
  { path: '/services', h1: /Services and prices/, title: /^Services and prices \|/ },
  { path: '/privacy', h1: /Privacy/, title: /^Privacy \|/ },
];

for (const route of routes) {
  test(`${route.path} has its own heading, title and description`, async ({ page }) => {
    await page.goto(route.path);
    await expect(page.locator('main h1')).toHaveText(route.h1);
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page).toHaveTitle(route.title);
    await expect(page).toHaveTitle(/Anastasia Massage/);
    const description = page.locator('meta[name="description"]');
    await expect(description).toHaveCount(1);
    await expect(description).toHaveAttribute('content', /.{40,}/);
  });
}

test('a deep link survives a reload', async ({ page }) => {
  await page.goto('/privacy');
  await page.reload();
  await expect(page.locator('main h1')).toHaveText('Privacy');
});

test('an unknown path shows a helpful not-found page', async ({ page }) => {
  await page.goto('/no-such-page');
  await expect(page.locator('main h1')).toHaveText(/doesn.t exist/);
  await expect(page).toHaveTitle(/Page not found/);
  await page.getByRole('main').getByRole('link', { name: 'All articles' }).click();
  await expect(page).toHaveURL(/\/articles$/);
  await expect(page.locator('main h1')).toHaveText('Articles');
});

test('nothing scrolls sideways', async ({ page }) => {
  for (const route of routes) {
    await page.goto(route.path);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `horizontal overflow on ${route.path}`).toBeLessThanOrEqual(0);
  }
});

test('the first Tab reaches the skip link, which jumps to the content', async ({ page }) => {
  await page.goto('/services');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test('navigating in the app moves focus to the new page heading', async ({ page }) => {
  await openInApp(page, '/book');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
  await expect(page.locator('main h1')).toHaveText('Services and prices');
  await expect(page.locator('main h1')).toBeFocused();
  await expect(page).toHaveTitle(/^Services and prices/);
});

test('the booking page\'s own app loads other pages from the server, and back returns to the form', async ({ page }) => {
  await page.goto('/book');
  await appReady(page);
  await page.locator('#name').fill('Sam Taylor');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
  await expect(page).toHaveURL(/\/services$/);
  await expect(page.locator('main h1')).toHaveText('Services and prices');
  // A full page load: a reading page, which starts the site's app only when asked.
  await expect(page.locator('html[data-app-waits]')).toHaveCount(1);
  await page.goBack();
  await expect(page).toHaveURL(/\/book$/);
  await appReady(page);
  await expect(page.locator('#name'), 'the draft is kept').toHaveValue('Sam Taylor');
});

test('the site can be installed: its manifest has a start page and PNG icons of 192 and 512 pixels', async ({ page, request }) => {
  await page.goto('/');
  // Added once the largest paint is on the screen, so its request never delays it.
  await expect(page.locator('link[rel="manifest"]')).toHaveCount(1);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(href!)).json();
  expect(manifest).toMatchObject({ start_url: '/', display: 'standalone', name: 'Anastasia Massage' });
  for (const size of ['192x192', '512x512']) {
    const icon = manifest.icons.find((i: { sizes: string; type: string }) => i.sizes === size && i.type === 'image/png');
    expect(icon, `a ${size} PNG icon`).toBeTruthy();
    const response = await request.get(icon.src);
    expect(response.headers()['content-type']).toBe('image/png');
    const png = await response.body();
    // The PNG header's width and height.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)].join('x')).toBe(size);
  }
  // An iPhone's home screen asks for this one at the root.
  expect((await request.get('/apple-touch-icon.png')).headers()['content-type']).toBe('image/png');
});

test('the footer says when, where and how to book', async ({ page }) => {
  await page.goto('/');
  const footer = page.getByRole('contentinfo');
  await expect(footer).toContainText('11:00');
  await expect(footer).toContainText('22:00');
  await expect(footer).toContainText(/In-call/);
  await expect(footer).toContainText(/Outcall/);
  await expect(footer.getByRole('link', { name: 'Request a booking' })).toBeVisible();
});

test('sitemap.xml lists the pages and every article, and robots.txt points to it', async ({ request }) => {
  const sitemap = await request.get('/sitemap.xml');
  expect(sitemap.status()).toBe(200);
  const xml = await sitemap.text();
  expect(xml).toContain('/articles/back-pain</loc>');
  expect(xml).toContain('/self-check</loc>');
  const robots = await (await request.get('/robots.txt')).text();
  expect(robots).toMatch(/^Sitemap: https:\/\/.+\/sitemap\.xml$/m);
});

test('the articles feed lists every article, and the home and library pages name it for feed readers', async ({ page, request }) => {
  const feed = await request.get('/feed.xml');
  expect(feed.status()).toBe(200);
  const xml = await feed.text();
  // xml:base: the articles' /images and /articles links resolve in every feed reader.
  expect(xml).toMatch(/<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xml:base="https:\/\/[^"]+\/">/);
  expect(xml).toMatch(/<id>https:\/\/.+\/articles\/back-pain<\/id>/);
  expect(xml).toContain('<content type="html">');
  for (const path of ['/', '/articles']) {
    await page.goto(path);
    await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute('href', '/feed.xml');
  }
  // Not on an article: the browser would fetch the whole feed with it.
  await page.goto('/articles/back-pain');
  await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveCount(0);
  // The article's place in the site, for search results (BreadcrumbList).
  const ld = await page.locator('script[type="application/ld+json"]').allTextContents();
  const crumbs = ld.map((t) => JSON.parse(t)).find((d) => d['@type'] === 'BreadcrumbList');
  expect(crumbs.itemListElement.map((i: { name: string }) => i.name).slice(0, 2)).toEqual(['Anastasia Massage', 'Articles']);
});
