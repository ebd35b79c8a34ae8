import { test, expect, appReady } from './fixtures';
import type { Page } from '@playwright/test';

/** Answers the current step by the visible labels, then presses Continue. */
async function answer(page: Page, ...labels: string[]) {
  await expect(page.locator('main h1')).toBeFocused();
  for (const label of labels) await page.getByLabel(label, { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

const noWarningSigns = async (page: Page) => {
  await answer(page, 'None of these');
  await answer(page, 'None of these');
};

test.beforeEach(async ({ page }) => {
  await page.goto('/self-check');
  await appReady(page);
});

test('the intro says what the check is, that answers stay on the phone, and how to get help now', async ({ page }) => {
  await expect(page.locator('main')).toContainText('This is not a diagnosis');
  await expect(page.getByRole('link', { name: 'call 999' })).toHaveAttribute('href', 'tel:999');
  await expect(page.locator('main')).toContainText('forgotten when you close the tab');
});

test('an emergency sign ends the check at once with 999 and no booking', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await expect(page.locator('main h1')).toContainText('Step 1 of');
  await expect(page).toHaveTitle(/^Step 1 of \d+/);
  await answer(page, 'Numbness or tingling around your genitals or bottom (for example, it feels different when you wipe)');
  await expect(page).toHaveURL(/\/self-check\/result$/);
  await expect(page.locator('main h1')).toHaveText('Call 999 or go to A&E now');
  await expect(page.locator('.result__level')).toContainText('Emergency');
  await expect(page.getByRole('status').filter({ hasText: 'Result:' })).toHaveText('Result: Emergency. Call 999 or go to A&E now');
  await expect(page.getByRole('link', { name: 'Call 999' })).toHaveAttribute('href', 'tel:999');
  await expect(page.getByRole('link', { name: /Request a booking/ })).toHaveCount(1); // the footer's only
  await expect(page.locator('main').getByRole('link', { name: /Request a booking/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Book a back pain session' })).toHaveCount(0);
});

test('an acute lower back pain routes to the acute section and lands there', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await noWarningSigns(page);
  await answer(page, 'Between 3 days and 6 weeks ago');
  await answer(page, 'Lower back');
  await answer(page, 'No');
  await answer(page, 'No, or not that I know of');
  await answer(page, 'No, or this does not apply to me');
  await answer(page, 'Lifting, bending or a sudden movement');
  await expect(page.locator('main h1')).toHaveText('Massage is likely to help your back');
  await expect(page.locator('.result__level')).toContainText('Suitable for massage');
  await expect(page.locator('main').getByRole('link', { name: 'Request a booking' })).toBeVisible();
  await page.getByRole('link', { name: 'Sudden lower back pain' }).click();
  await expect(page).toHaveURL(/\/articles\/back-pain#acute$/);
  await expect(page.locator('#acute')).toBeInViewport();
  await expect(page.locator('#acute')).toBeFocused();
});

test('a chronic pain with a herniated disc routes to the structural section', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await noWarningSigns(page);
  await answer(page, 'More than 12 weeks ago');
  await answer(page, 'Lower back');
  await answer(page, 'No');
  await answer(page, 'A disc problem (bulging, slipped or herniated disc, or disc wear)');
  await answer(page, 'No, or this does not apply to me');
  await answer(page, 'Sitting a lot, or long hours at a desk');
  await expect(page.locator('main h1')).toHaveText('Massage can help, adapted to your diagnosis');
  await expect(page.getByRole('link', { name: 'Should I have a massage with a herniated disc?' })).toBeVisible();
  await page.getByRole('link', { name: 'Back pain with a known spinal problem' }).click();
  await expect(page).toHaveURL(/\/articles\/back-pain#structural$/);
  await expect(page.locator('#structural')).toBeInViewport();
});

test('browser back and reload keep the answers', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await noWarningSigns(page);
  await answer(page, 'Between 6 and 12 weeks ago');
  await expect(page).toHaveURL(/\/self-check\/where$/);
  await page.reload();
  await expect(page.locator('main h1')).toContainText('Where is the pain?');
  await page.goBack();
  await expect(page).toHaveURL(/\/self-check\/started$/);
  await expect(page.getByLabel('Between 6 and 12 weeks ago')).toBeChecked();
  await page.goBack();
  await expect(page.getByLabel('None of these')).toBeChecked();
});

test('continuing without an answer says so next to the question', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.field-error')).toHaveText(/Tick every one that applies/);
  await expect(page.locator('fieldset')).toHaveAttribute('aria-describedby', /emergency_signs-error/);
  await expect(page.getByLabel('Pain, tingling, weakness or numbness in both legs')).toBeFocused();
  await expect(page).toHaveURL(/\/self-check\/emergency_signs$/);
});

test('"None of these" and a sign cannot both be ticked', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await page.getByLabel('Chest pain').check();
  await page.getByLabel('None of these').check();
  await expect(page.getByLabel('Chest pain')).not.toBeChecked();
  await page.getByLabel('Chest pain').check();
  await expect(page.getByLabel('None of these')).not.toBeChecked();
});

test('a later step cannot be opened before the warning signs are answered', async ({ page }) => {
  await page.goto('/self-check/started');
  await expect(page).toHaveURL(/\/self-check\/emergency_signs$/);
  await page.goto('/self-check/result');
  await expect(page).toHaveURL(/\/self-check\/emergency_signs$/);
});

test('the whole check works with the keyboard alone', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('main h1')).toBeFocused();
  // Tab to the last option ("None of these"), tick it with Space, submit with Enter.
  await page.getByLabel('None of these').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expect(page.locator('main h1')).toContainText('Step 2 of');
  await expect(page.locator('main h1')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('A high temperature, or you feel hot and shivery')).toBeFocused();
});

test('upper back pain that does not change with movement is urgent, with no booking', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await noWarningSigns(page);
  await answer(page, 'More than 12 weeks ago');
  await answer(page, 'Upper back, between the shoulder blades');
  await answer(page, 'No, it stays the same whatever I do');
  await expect(page.locator('main h1')).toHaveText('Get medical advice before any massage');
  await expect(page.getByRole('link', { name: 'Call NHS 111' })).toHaveAttribute('href', 'tel:111');
  await expect(page.locator('main').getByRole('link', { name: 'Request a booking' })).toHaveCount(0);
});

test('start again forgets the earlier answers', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await answer(page, 'Chest pain');
  await expect(page.locator('.result')).toBeVisible();
  await page.getByRole('button', { name: 'Start again' }).click();
  await expect(page).toHaveURL(/\/self-check\/emergency_signs$/);
  await expect(page.getByLabel('Chest pain')).not.toBeChecked();
  expect(await page.evaluate(() => sessionStorage.getItem('self-check-answers'))).toBeNull();
});
