import { existsSync, readFileSync, statSync } from 'node:fs';
import { test, expect, signIn, expectNoViolations } from './fixtures';
import type { Browser, Page } from '@playwright/test';

// The article editor in the inbox, on her phone, without JavaScript in its pages: she writes
// an article with a photo, previews it and publishes it, and the prerendered page (with
// JavaScript off) and the feed show it at once. These tests publish, so they have their own
// receiver (playwright.config.ts) on copies of content/ and dist/ (tests/e2e/serve.sh).

const editorPort = Number(process.env.E2E_PORT ?? '8181') + 10;
const SITE = 'var/e2e-editor/site';
test.use({ baseURL: `http://127.0.0.1:${editorPort}` });

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'phone-390', 'the editor is checked on the 390x844 phone');
});

/** A photo as a phone's browser would send it: a JPEG drawn in a blank page. */
async function photo(browser: Browser): Promise<Buffer> {
  const blank = await browser.newPage();
  const dataUrl = await blank.evaluate(() => {
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [1600, 1200];
    const g = canvas.getContext('2d')!;
    const sky = g.createLinearGradient(0, 0, 0, 1200);
    sky.addColorStop(0, '#9cc9d8');
    sky.addColorStop(1, '#2f5d50');
    g.fillStyle = sky;
    g.fillRect(0, 0, 1600, 1200);
    g.fillStyle = '#e8d9c4';
    g.fillRect(300, 700, 1000, 260);
    return canvas.toDataURL('image/jpeg', 0.9);
  });
  await blank.close();
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

async function openEditor(page: Page, path: string) {
  await page.goto(path, { waitUntil: 'load' });
  if (page.url().includes('/inbox/sign-in')) await signIn(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

const sent = (path: string) => statSync(existsSync(`${path}.br`) ? `${path}.br` : path).size;

test('she writes an article with a photo, previews it and publishes it; the page without JavaScript and the feed show it', async ({ page, browser }, testInfo) => {
  const stamp = Date.now();
  const title = `Easing a stiff neck between clients ${stamp}`;
  const slug = `easing-a-stiff-neck-between-clients-${stamp}`;
  await openEditor(page, '/inbox/articles');
  await page.getByRole('link', { name: 'Write a new article' }).click();
  await expect(page.getByRole('heading', { name: 'New article' })).toBeVisible();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Summary').fill('Three small stretches for a neck that stiffens at the desk, and when to see someone.');
  await page.getByLabel('Category', { exact: true }).selectOption('Neck and shoulders');
  await page.getByLabel('Topics').fill('neck, desk work');
  await page
    .getByLabel('Text', { exact: true })
    .fill(`## Why the neck stiffens {#why}\n\n${'Sitting still for hours lets the small muscles of the neck tire and tighten. '.repeat(8)}\n\n## Three stretches {#stretches}\n\n- Tuck the chin.\n- Tilt the ear to the shoulder.\n- Turn slowly to each side.\n`);
  await page.getByLabel('Photo (JPEG, PNG or WebP, up to 20 MB)').setInputFiles({ name: 'IMG_2041.JPG', mimeType: 'image/jpeg', buffer: await photo(browser) });
  await page.getByLabel('What it shows, for people who cannot see it').fill('A desk by a window, with a chair pushed back');
  await page.getByRole('button', { name: 'Preview' }).click();

  // The preview: the site's own HTML for the body, the photo at its published sizes.
  const preview = page.locator('#page_preview');
  await expect(preview.getByRole('heading', { name: 'Preview' })).toBeVisible();
  await expect(preview.getByRole('heading', { name: 'Why the neck stiffens' })).toBeVisible();
  const shown = preview.getByRole('img', { name: 'A desk by a window, with a chair pushed back' });
  await expect(shown).toBeVisible();
  expect(await shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.getByRole('status')).toHaveText('Saved as a draft: not on the site until you publish it.');
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue(/!\[A desk by a window, with a chair pushed back\]\(\/images\/[a-z0-9-]+-1\.jpg\)/);
  await page.screenshot({ path: testInfo.outputPath('editor-preview-390.png'), fullPage: true });
  await expectNoViolations(page, 'the editor with its preview');
  // Her draft is hers alone until she publishes: no page, nothing in the feed.
  expect((await page.request.get(`/articles/${slug}`)).status()).toBe(404);
  expect(await (await page.request.get('/feed.xml')).text()).not.toContain(title);

  const started = Date.now();
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('status')).toHaveText('Published: it is on the site now.');
  const took = Date.now() - started;
  console.log(`publishing from the editor: ${took} ms until the page said so`);
  expect(took).toBeLessThan(10_000);
  await expect(page.locator('#page_status')).toContainText(`/articles/${slug}`);

  // A reader with JavaScript off gets the prerendered page with the photo.
  const reader = await browser.newContext({ baseURL: `http://127.0.0.1:${editorPort}`, javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const article = await reader.newPage();
  const photos: number[] = [];
  article.on('response', (r) => {
    if (r.url().includes('/images/')) photos.push(r.status());
  });
  await article.goto(`/articles/${slug}`, { waitUntil: 'load' });
  await expect(article.locator('main h1')).toHaveText(title);
  await expect(article.getByRole('heading', { name: 'Three stretches' })).toBeVisible();
  const img = article.locator('main picture img');
  await expect(img).toHaveAttribute('alt', 'A desk by a window, with a chair pushed back');
  await expect(img).toHaveAttribute('width', '1200');
  await expect(img).toHaveAttribute('height', '900');
  await expect(article.locator('main picture source[type="image/webp"]')).toHaveAttribute('srcset', /-480\.webp 480w, .*-800\.webp 800w, .*-1200\.webp 1200w/);
  expect(photos, 'the photo loaded').toEqual([200]);
  const ogImage = await article.locator('meta[property="og:image"]').getAttribute('content');
  expect(ogImage).toMatch(/^https:\/\/.+\/images\/[a-z0-9-]+-1200\.jpg$/);
  const jsonLd = (await article.locator('script[type="application/ld+json"]').allTextContents()).map((t) => JSON.parse(t));
  expect(jsonLd.find((d) => d['@type'] === 'Article').image.url).toBe(ogImage);
  await reader.close();

  const feed = await page.request.get('/feed.xml');
  expect(await feed.text()).toContain(title);

  // What a first visit to this page costs: the page, and the photo a phone picks (the page
  // alone stays within the 20 KB reading budget, tests/e2e/size.spec.ts).
  const pageBytes = sent(`${SITE}/articles/${slug}/index.html`);
  const src = (ogImage ?? '').replace(/^https:\/\/[^/]+/, '');
  const at = (width: number) => statSync(`${SITE}${src.replace(/-1200\.jpg$/, `-${width}.webp`)}`).size;
  console.log(`first visit to an article with a photo: page ${(pageBytes / 1024).toFixed(1)} KB brotli, photo ${(at(480) / 1024).toFixed(1)} KB at 1x (480 px WebP), ${(at(1200) / 1024).toFixed(1)} KB at 3x (1200 px WebP)`);
  expect(pageBytes / 1024).toBeLessThanOrEqual(20);
});

test('a publish that removes a section the self-check links to is refused, with the message next to the text', async ({ page }) => {
  const live = readFileSync(`${SITE}/content/library.json`, 'utf8');
  await openEditor(page, '/inbox/articles/back-pain');
  const text = page.getByLabel('Text', { exact: true });
  await text.fill((await text.inputValue()).replace('{#chronic}', '{#long-term}'));
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('alert')).toHaveText('Not published: fix what is marked below, then publish again. Your changes are saved as a draft.');
  await expect(page.locator('#form_body-error')).toContainText('links to /articles/back-pain#chronic, which does not exist');
  await expect(text).toHaveAttribute('aria-invalid', 'true');
  await expect(text).toHaveValue(/\{#long-term\}/);
  await page.screenshot({ path: test.info().outputPath('editor-refused-390.png'), fullPage: true });
  await expectNoViolations(page, 'a refused publish');
  expect(readFileSync(`${SITE}/content/library.json`, 'utf8')).toBe(live);
  const article = await page.request.get('/articles/back-pain');
  expect(await article.text()).toContain('id="chronic"');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the editor's pages have no accessibility violations and fit a 320 px phone (${scheme})`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openEditor(page, '/inbox/articles');
    await expectNoViolations(page, 'the list of articles');
    await page.getByRole('link', { name: 'Write a new article' }).click();
    await expectNoViolations(page, 'a new article');
    // Publishing with nothing filled in: every problem named, next to its field.
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page.locator('#form_address-error')).toContainText('Give the article a title first');
    await expectNoViolations(page, 'a refused new article');
    for (const [width, height] of [[390, 844], [320, 640]]) {
      await page.setViewportSize({ width, height });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `nothing wider than ${width} px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: testInfo.outputPath(`editor-new-${width}-${scheme}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await openEditor(page, '/inbox/articles/neck-and-shoulder-tension-desk-work');
    await expectNoViolations(page, 'a published article');
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'an article with tables and long words fits 320 px').toBeLessThanOrEqual(0);
    await page.screenshot({ path: testInfo.outputPath(`editor-edit-320-${scheme}.png`) });
  });
}
