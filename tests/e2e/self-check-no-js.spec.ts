import { test, expect } from './fixtures';

// With JavaScript off a self-check step is still a real page: its question can be read, but
// nothing can be sent, since the browser would put the answers into the address.
test('a self-check step without JavaScript shows its question, no way to send answers, and where to read instead', async ({ page }) => {
  const response = await page.goto('/self-check/urgent_signs');
  expect(response!.status()).toBe(200);
  await expect(page.locator('main h1')).toContainText('Do you have any of these?');
  await expect(page.getByText('A high temperature, or you feel hot and shivery')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continue' })).toBeHidden();
  await expect(page.getByRole('link', { name: 'warning signs that need a doctor first' })).toBeVisible();
});
