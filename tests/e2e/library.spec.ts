import { readdirSync } from 'node:fs';
import { test, expect, appReady, openInApp } from './fixtures';

const articleFiles = readdirSync('content/articles').filter((f) => f.endsWith('.md'));

test('the library lists every article, newest first', async ({ page }) => {
  await page.goto('/articles');
  const cards = page.locator('.article-card');
  await expect(cards).toHaveCount(articleFiles.length);
  await expect(page.getByRole('status')).toHaveText(`${articleFiles.length} articles`);
  const dates = await page.locator('.article-card time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
  expect(dates).toEqual([...dates].sort().reverse());
});

test('search finds a word that is only in an article body, highlighted, and keeps it in the URL', async ({ page }) => {
  await page.goto('/articles');
  // The first keystroke brings the app; what was typed meanwhile is searched.
  await page.getByLabel('Search the articles').fill('Piriformis');
  const cards = page.locator('.article-card');
  await expect(cards).toHaveCount(1);
  await expect(page.getByRole('status')).toHaveText('1 article matches “Piriformis”');
  await expect(cards.first().getByRole('link')).toHaveText(/back pain/i);
  await expect(cards.first().locator('.article-card__snippet mark')).toHaveText(/piriformis/i);
  await expect(page).toHaveURL(/\/articles\?q=Piriformis$/);
  await page.reload();
  await expect(page.getByLabel('Search the articles')).toHaveValue('Piriformis');
  await expect(cards).toHaveCount(1);
});

test('search ignores accents and case, and says clearly when nothing matches', async ({ page }) => {
  await page.goto('/articles?q=SCIÁTICA');
  await expect(page.locator('.article-card').first()).toBeVisible();
  await page.getByLabel('Search the articles').fill('zzzzqqq');
  await expect(page.getByRole('status')).toHaveText('No articles match “zzzzqqq”.');
  await page.getByRole('button', { name: 'Show all articles' }).click();
  await expect(page.locator('.article-card')).toHaveCount(articleFiles.length);
  await expect(page).toHaveURL(/\/articles$/);
});

test('filters live in the URL and the back button restores them', async ({ page }) => {
  await page.goto('/articles');
  await page.getByLabel('Category').selectOption('Your visit');
  await expect(page).toHaveURL(/category=Your%20visit/);
  const visitCount = await page.locator('.article-card').count();
  expect(visitCount).toBeGreaterThan(0);
  expect(visitCount).toBeLessThan(articleFiles.length);
  await page.getByLabel('Topic').selectOption('outcall');
  await expect(page).toHaveURL(/category=Your%20visit&tag=outcall/);
  await page.goBack();
  await expect(page).toHaveURL(/category=Your%20visit$/);
  await expect(page.getByLabel('Topic')).toHaveValue('');
  await expect(page.locator('.article-card')).toHaveCount(visitCount);
});

test('an article has its title, reading time, contents, FAQ data and calls to action', async ({ page }) => {
  await page.goto('/articles/back-pain');
  await expect(page.locator('main h1')).toHaveText(/back pain/i);
  await expect(page).toHaveTitle(/back pain.*\| Anastasia Massage/i);
  await expect(page.locator('.article__meta')).toContainText('min read');
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', /\/articles\/back-pain$/);
  await expect(page.locator('meta[property="og:type"]')).toHaveAttribute('content', 'article');
  const jsonLd = await page.locator('script[type="application/ld+json"]').evaluateAll((els) =>
    els.map((e) => JSON.parse(e.textContent ?? '{}')['@type']),
  );
  expect(jsonLd.sort()).toEqual(['Article', 'BreadcrumbList', 'FAQPage']);
  await expect(page.getByRole('link', { name: /Check whether massage suits/ })).toBeVisible();
  await expect(page.locator('main').getByRole('link', { name: 'Request a booking' })).toBeVisible();
});

test('a table of contents link brings its section into view, and into focus once the app runs', async ({ page }) => {
  // First visit: the page is plain HTML and the link is an ordinary link.
  await page.goto('/articles/back-pain');
  const contents = page.getByRole('navigation', { name: 'Contents' });
  await page.locator('summary', { hasText: 'Contents' }).click();
  await contents.getByRole('link', { name: /What results to expect/i }).click();
  await expect(page.locator('#results')).toBeInViewport();
  await expect(page).toHaveURL(/#results$/);
  // With the app running, the heading takes focus too, so reading goes on from there.
  await openInApp(page, '/articles/back-pain');
  await page.locator('summary', { hasText: 'Contents' }).click();
  await contents.getByRole('link', { name: /What happens in a back pain session/i }).click();
  await expect(page.locator('#session')).toBeInViewport();
  await expect(page.locator('#session')).toBeFocused();
});

test('opening a #section deep link scrolls there', async ({ page }) => {
  await page.goto('/articles/back-pain#structural');
  await expect(page.locator('#structural')).toBeInViewport();
});

test('in-app navigation to a #section of another article lands on that section', async ({ page }) => {
  await openInApp(page, '/articles/neck-and-shoulder-tension-desk-work');
  const link = page.locator('.prose a[href^="/articles/back-pain#"]').first();
  const href = await link.getAttribute('href');
  await link.click();
  const id = href!.split('#')[1];
  await expect(page.locator(`[id="${id}"]`)).toBeInViewport();
  await expect(page.locator(`[id="${id}"]`)).toBeFocused();
});

test('an FAQ question opens with the keyboard', async ({ page }) => {
  await page.goto('/articles/back-pain');
  const question = page.locator('details.faq summary').first();
  await question.focus();
  await expect(page.locator('details.faq').first()).not.toHaveAttribute('open');
  await page.keyboard.press('Enter');
  await expect(page.locator('details.faq').first()).toHaveAttribute('open', '');
  await expect(page.locator('details.faq .faq__answer').first()).toBeVisible();
});

test('a deep link to an FAQ question opens it', async ({ page }) => {
  await page.goto('/articles/back-pain#faq-herniated-disc');
  await expect(page.locator('#faq-herniated-disc')).toBeInViewport();
  await expect(page.locator('details.faq:has(#faq-herniated-disc)')).toHaveAttribute('open', '');
});

test('a mangled #fragment does not stop the page from working', async ({ page }) => {
  // The console-error check (fixtures) fails the test if start.js throws on it.
  await page.goto('/articles?q=back#%E0%A4%A');
  await expect(page.locator('html[data-app]')).toHaveCount(1);
  await expect(page.getByRole('status')).toContainText('back');
});

test('the section link copies the address of its section', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // Before the app runs it is an ordinary link to the section; the app makes it copy.
  await openInApp(page, '/articles/back-pain');
  await page.locator('a.section-link[href="#acute"]').click();
  await expect(page.getByRole('status').filter({ hasText: 'copied' })).toHaveText(/Link to .* copied/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/\/articles\/back-pain#acute$/);
});

test('an unknown article shows the not-found page with a search and the latest articles', async ({ page }) => {
  await page.goto('/articles/no-such-article');
  await expect(page.locator('main h1')).toHaveText(/doesn.t exist/);
  await expect(page.getByRole('heading', { name: 'Latest articles' })).toBeVisible();
  await expect(page.locator('.article-card')).toHaveCount(3);
  await page.getByLabel('Search the articles').fill('sciatica');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/articles\?q=sciatica$/);
  await expect(page.locator('.article-card').first()).toBeVisible();
});
