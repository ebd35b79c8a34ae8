import { readdirSync } from 'node:fs';
import { test, expect, appReady } from './fixtures';

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
  await appReady(page);
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
  expect(jsonLd.sort()).toEqual(['Article', 'FAQPage']);
  await expect(page.getByRole('link', { name: /Check whether massage suits/ })).toBeVisible();
  await expect(page.locator('main').getByRole('link', { name: 'Request a booking' })).toBeVisible();
});

test('a table of contents link brings its section into view and focus', async ({ page }) => {
  await page.goto('/articles/back-pain');
  await page.locator('summary', { hasText: 'Contents' }).click();
  await page.getByRole('navigation', { name: 'Contents' }).getByRole('link', { name: /What results to expect/i }).click();
  const heading = page.locator('#results');
  await expect(heading).toBeInViewport();
  await expect(heading).toBeFocused();
  await expect(page).toHaveURL(/#results$/);
});

test('opening a #section deep link scrolls there once the article has rendered', async ({ page }) => {
  await page.goto('/articles/back-pain#structural');
  const heading = page.locator('#structural');
  await expect(heading).toBeInViewport();
  await expect(heading).toBeFocused();
});

test('in-app navigation to a #section of another article lands on that section', async ({ page }) => {
  await page.goto('/articles/neck-and-shoulder-tension-desk-work');
  await appReady(page);
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

test('the section link copies the address of its section', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/articles/back-pain');
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
