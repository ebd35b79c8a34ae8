import { test, expect, appReady, finishSelfCheck, expectNoViolations } from './fixtures';

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });

    for (const path of ['/', '/articles', '/articles?q=sciatica', '/articles/back-pain', '/services', '/privacy', '/self-check', '/book', '/no-such-page']) {
      test(`${path} has no accessibility violations`, async ({ page }) => {
        // As a visitor first sees it: app pages with the app running, reading pages as HTML
        // (the same markup the app renders).
        await page.goto(path);
        await expect(page.locator('main h1')).toBeVisible();
        // Checked once what shows has settled: web fonts in, no transition half-way.
        await page.evaluate(() => document.fonts.ready);
        await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
        await expectNoViolations(page, path);
      });
    }

    test('self-check steps and results have no accessibility violations', async ({ page }) => {
      await page.goto('/self-check/emergency_signs');
      await appReady(page);
      await page.getByRole('button', { name: 'Continue' }).click();
      await expectNoViolations(page, 'a step with an error');
      await page.getByLabel('Chest pain').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.locator('.result')).toBeVisible();
      await expectNoViolations(page, 'the emergency result');
      await page.goto('/self-check');
      await page.evaluate(() => sessionStorage.setItem('self-check-answers', JSON.stringify({
        emergency_signs: ['none'], urgent_signs: ['none'], knock: ['no'], about_you: ['none'], started: ['under_72_hours'], where: ['lower'],
        legs: ['none'], diagnosis: ['none'], pregnant: ['no'], cause: ['lifting'],
      })));
      await page.goto('/self-check/result');
      await expect(page.locator('.result--wait')).toBeVisible();
      await expectNoViolations(page, 'the wait result');
    });

    test('the booking page with the self-check\'s notices has no accessibility violations', async ({ page }) => {
      await page.goto('/self-check');
      const notices: [string, Record<string, string[]>][] = [
        ['emergency', { emergency_signs: ['chest_pain'] }],
        ['urgent', { emergency_signs: ['none'], urgent_signs: ['fever'] }],
        ['check-first', { emergency_signs: ['none'], urgent_signs: ['none'], knock: ['no'], about_you: ['none'], started: ['under_6_weeks'], where: ['lower'], legs: ['one_leg'], diagnosis: ['none'], pregnant: ['no'], cause: ['sport'] }],
        ['wait', { emergency_signs: ['none'], urgent_signs: ['none'], knock: ['no'], about_you: ['none'], started: ['under_72_hours'], where: ['lower'], legs: ['none'], diagnosis: ['none'], pregnant: ['no'], cause: ['lifting'] }],
      ];
      for (const [level, answers] of notices) {
        await finishSelfCheck(page, answers);
        await page.goto('/book');
        await appReady(page);
        await expect(page.locator(`.self-check-notice--${level}`)).toBeVisible();
        await expectNoViolations(page, `/book after the ${level} result`);
      }
    });

    test('the booking form with errors showing has no accessibility violations', async ({ page }) => {
      await page.goto('/book');
      await appReady(page);
      await page.getByRole('button', { name: 'Send booking request' }).click();
      await expect(page.locator('.error-summary')).toBeVisible();
      await expectNoViolations(page, 'the booking form with errors');
    });
  });
}
