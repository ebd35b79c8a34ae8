import { test, expect, appReady, finishSelfCheck } from './fixtures';
import type { Page } from '@playwright/test';

/** Answers the current step by the visible labels, then presses Continue. */
async function answer(page: Page, ...labels: string[]) {
  await expect(page.locator('main h1')).toBeFocused();
  for (const label of labels) await page.getByLabel(label, { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** No emergency or urgent sign, the pain did not start with a fall or knock, and nothing about the person changes what is safe. */
const noWarningSigns = async (page: Page) => {
  await answer(page, 'None of these');
  await answer(page, 'None of these');
  await answer(page, 'No');
  await answer(page, 'None of these');
};

/** Finishes the check in this tab with these answers (as a visitor would have), then opens `path`. */
async function withAnswers(page: Page, answers: Record<string, string[]>, path: string) {
  await finishSelfCheck(page, answers);
  if (path !== '/self-check/result') {
    await page.goto(path);
    await appReady(page);
  }
}

const NONE = { emergency_signs: ['none'], urgent_signs: ['none'], knock: ['no'], about_you: ['none'] };
const LOWER = { where: ['lower'], legs: ['none'], diagnosis: ['none'], pregnant: ['no'], cause: ['lifting'] };

/** Every step, by its address, with its question. */
const STEPS: [string, string][] = [
  ['emergency_signs', 'Do you have any of these as well as back pain?'],
  ['urgent_signs', 'Do you have any of these?'],
  ['knock', 'Did this back pain start after a fall, a trip or a knock?'],
  ['about_you', 'Do any of these apply to you?'],
  ['started', 'When did this back pain start?'],
  ['where', 'Where is the pain?'],
  ['upper_moves', 'Does the pain between your shoulder blades change when you move, stretch or sit differently?'],
  ['legs', 'Do you have any symptoms in your legs?'],
  ['diagnosis', 'Has a doctor told you that you have a problem with your spine?'],
  ['pregnant', 'Are you pregnant, or have you had a baby in the last 3 months?'],
  ['cause', 'What do you think brought it on?'],
];

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
  await answer(page, 'More than 3 days ago, but less than 6 weeks ago');
  await answer(page, 'Lower back');
  await answer(page, 'No');
  await answer(page, 'No, or not that I know of');
  await answer(page, 'No, or this does not apply to me');
  await answer(page, 'Lifting, bending or a sudden movement');
  await expect(page.locator('main h1')).toHaveText('Massage is likely to help your back');
  await expect(page.locator('.result__level')).toContainText('Suitable for massage');
  await expect(page.locator('main').getByRole('link', { name: 'Request a booking' })).toBeVisible();
  await page.getByRole('link', { name: 'Sudden lower back pain' }).click();
  // The article is loaded as a page (the self-check's own app has no articles), at the section.
  await expect(page).toHaveURL(/\/articles\/back-pain#acute$/);
  await expect(page.locator('main h1')).toContainText('back pain');
  await expect(page.locator('#acute')).toBeInViewport();
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
  await expect(page).toHaveURL(/\/self-check\/about_you$/);
  await expect(page.getByLabel('None of these')).toBeChecked();
  await page.goBack();
  await expect(page.getByLabel('No', { exact: true })).toBeChecked();
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

test('a later step cannot be opened before the warning signs are answered, and says why', async ({ page }) => {
  await page.goto('/self-check/started');
  await expect(page).toHaveURL(/\/self-check\/emergency_signs$/);
  await expect(page.getByRole('alert')).toContainText('this tab has no answers to the questions before it');
  await expect(page.getByRole('alert')).toContainText('starts again here');
  await page.goto('/self-check/result');
  await expect(page).toHaveURL(/\/self-check\/emergency_signs$/);
  // Once on the way, the notice goes: it was about the address opened, not this step.
  await answer(page, 'None of these');
  await expect(page.getByRole('alert')).toHaveCount(0);
  // With the warning signs answered, a later step goes on from the first one not answered.
  await page.goto('/self-check/legs');
  await expect(page).toHaveURL(/\/self-check\/urgent_signs$/);
  await expect(page.getByRole('alert')).toContainText('the questions before it need answers first');
  // Answers never go into the address.
  expect(page.url()).not.toContain('none');
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

test('a road accident the person thought was minor is still an emergency', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await answer(page, 'The pain started after a road accident, or a fall from a height or down the stairs, even if it did not seem serious');
  await expect(page.locator('main h1')).toHaveText('Call 999 or go to A&E now');
});

test('osteoporosis and a minor stumble is urgent, with no booking', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await answer(page, 'None of these');
  await answer(page, 'None of these');
  await expect(page.locator('main')).toContainText('Count it even if it was small');
  await answer(page, "Yes, or I'm not sure");
  await answer(page, WEAK_BONES);
  await expect(page.locator('main h1')).toHaveText('Get medical advice before any massage');
  await expect(page.locator('main').getByRole('link', { name: 'Request a booking' })).toHaveCount(0);
});

const WEAK_BONES = 'Weak bones (osteoporosis or thin bones), steroid tablets such as prednisolone for 3 months or more, or you are 70 or older';

// Issue 20: signs the check did not ask about, walked as a visitor answering literally would.
test('sudden tummy and back pain with feeling faint is an emergency, said without "the signs you ticked"', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await answer(page, 'Sudden, severe pain in your tummy as well as your back, or you feel faint, dizzy, or cold and sweaty with the pain');
  await expect(page.locator('main h1')).toHaveText('Call 999 or go to A&E now');
  await expect(page.getByRole('link', { name: 'Call 999' })).toHaveAttribute('href', 'tel:999');
  await expect(page.locator('main').getByRole('link', { name: 'Request a booking' })).toHaveCount(0);
  await expect(page.locator('.answers-summary')).toContainText('Sudden, severe pain in your tummy');
  await expect(page.locator('main')).not.toContainText('ticked');
});

test('weak bones and new pain with no knock to speak of is urgent, with no booking', async ({ page }) => {
  await page.getByRole('link', { name: 'Start the check' }).click();
  await answer(page, 'None of these');
  await answer(page, 'None of these');
  await answer(page, 'No');
  await expect(page.locator('main h1')).toContainText('Do any of these apply to you?');
  await answer(page, WEAK_BONES);
  await answer(page, 'More than 3 days ago, but less than 6 weeks ago');
  await expect(page.locator('main h1')).toHaveText('Get medical advice before any massage');
  await expect(page.getByRole('link', { name: 'Call NHS 111' })).toHaveAttribute('href', 'tel:111');
  await expect(page.locator('main').getByRole('link', { name: 'Request a booking' })).toHaveCount(0);
});

test('blood thinners: massage suits, and the result says to expect lighter pressure', async ({ page }) => {
  await withAnswers(page, { ...NONE, about_you: ['blood_thinners'], started: ['under_6_weeks'], ...LOWER }, '/self-check/result');
  await expect(page.locator('main h1')).toHaveText('Massage is likely to help your back');
  await expect(page.locator('.next-steps-list li').last()).toContainText('lighter pressure');
  await expect(page.locator('main').getByRole('link', { name: 'Request a booking' })).toBeVisible();
});

test('the step counter never goes back and its total never changes within a run', async ({ page }) => {
  const total = Number((await page.locator('.lead').innerText()).match(/up to (\d+)/)![1]);
  await page.getByRole('link', { name: 'Start the check' }).click();
  const seen: [number, number][] = [];
  const record = async () => {
    const [, step, of] = (await page.locator('.step-count').innerText()).match(/^Step (\d+) of (\d+)$/)!;
    seen.push([Number(step), Number(of)]);
  };
  // The longest way through (a knock, upper back), then back to change an answer and on again.
  for (const label of ['None of these', 'None of these', "Yes, or I'm not sure", 'None of these', 'Between 6 and 12 weeks ago',
    'Both lower and upper back', 'Yes, it changes with movement or position']) {
    await record();
    await answer(page, label);
  }
  await page.goBack(); // upper_moves
  await page.goBack(); // where
  await record();
  await answer(page, 'Lower back');
  for (const label of ['No', 'No, or not that I know of', 'No, or this does not apply to me']) {
    await record();
    await answer(page, label);
  }
  await record();
  await answer(page, 'Nothing I can think of');
  await expect(page.locator('.result')).toBeVisible();
  expect(new Set(seen.map(([, of]) => of))).toEqual(new Set([total]));
  // Forward steps only ever go up; the one step back was the visitor's own Back.
  const forward = seen.filter((_, i) => i !== 7);
  for (let i = 1; i < forward.length; i++) expect(forward[i][0], JSON.stringify(seen)).toBeGreaterThan(forward[i - 1][0]);
});

test('every step is a real page: a reload paints its question and options before the app starts', async ({ page, request }) => {
  for (const [id, question] of STEPS) {
    const response = await request.get(`/self-check/${id}`);
    expect(response.status(), id).toBe(200);
    const html = await response.text();
    expect(html, id).toContain(question);
    expect(html, id).toContain('Continue');
  }
  // The app held back: what paints is the prerendered page alone.
  await page.route('**/*.wasm', () => {});
  await page.goto('/self-check/legs', { waitUntil: 'load' });
  await expect(page.locator('main h1')).toContainText('Do you have any symptoms in your legs?');
  await expect(page.getByLabel('Yes, in one leg')).toBeVisible();
  await expect(page.locator('html[data-app]')).toHaveCount(0);
});

test('a step answered before the app has arrived keeps the answers out of the address and goes on', async ({ page }) => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto('/self-check/emergency_signs', { waitUntil: 'load' });
  await page.getByLabel('None of these').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/self-check\/emergency_signs$/);
  release();
  await expect(page).toHaveURL(/\/self-check\/urgent_signs$/);
  expect(await page.evaluate(() => sessionStorage.getItem('self-check-answers'))).toContain('none');
});

test('a reload of a step keeps its question and fills in the answer once the app starts', async ({ page }) => {
  await withAnswers(page, { ...NONE, started: ['over_12_weeks'], where: ['lower'], legs: ['one_leg'] }, '/self-check/legs');
  await expect(page.locator('main h1')).toContainText('Do you have any symptoms in your legs?');
  await expect(page.getByLabel('Yes, in one leg')).toBeChecked();
});

test('/self-check/bogus is the not-found page with a 404', async ({ page, request }) => {
  expect((await request.get('/self-check/bogus')).status()).toBe(404);
  await page.goto('/self-check/bogus');
  await expect(page.locator('main h1')).toHaveText(/doesn.t exist/);
});

for (const step of [1, 2]) {
  test(`Continue is on screen without scrolling at step ${step}`, async ({ page }, testInfo) => {
    await page.getByRole('link', { name: 'Start the check' }).click();
    if (step === 2) await answer(page, 'None of these');
    await expect(page.locator('main h1')).toContainText(`Step ${step} of`);
    await expect(page.getByRole('button', { name: 'Continue' })).toBeInViewport({ ratio: 1 });
    await page.screenshot({ path: testInfo.outputPath(`step-${step}.png`) });
    // Every option can still be reached and ticked, none hidden behind the button.
    const last = page.getByLabel('None of these');
    await last.focus();
    await page.keyboard.press('Space');
    await expect(last).toBeChecked();
    await expect(last).toBeInViewport({ ratio: 1 });
  });
}

test.describe('the booking page knows what the check said in this tab', () => {
  const outcomes = [
    { name: 'emergency', answers: { emergency_signs: ['chest_pain'] }, heading: 'Your self-check result: Call 999 or go to A&E now', call: 'tel:999' },
    { name: 'urgent', answers: { emergency_signs: ['none'], urgent_signs: ['none'], knock: ['yes'], about_you: ['weak_bones'] }, heading: 'Your self-check result: Get medical advice before any massage', call: 'tel:111' },
    { name: 'check first', answers: { ...NONE, started: ['under_6_weeks'], ...LOWER, pregnant: ['yes'] }, heading: 'Your self-check result: Speak to your midwife or GP first', call: null },
  ];
  for (const outcome of outcomes) {
    test(`after the ${outcome.name} result, /book says so before the form, and the form still works`, async ({ page }) => {
      await withAnswers(page, outcome.answers, '/self-check/result');
      // The header's Book button stays on every page: the booking page must say it.
      await page.getByRole('link', { name: 'Book', exact: true }).click();
      await expect(page).toHaveURL(/\/book$/);
      const notice = page.getByRole('region', { name: outcome.heading });
      await expect(notice).toBeVisible();
      await expect(notice).toBeInViewport();
      if (outcome.call) await expect(notice.getByRole('link', { name: /^Call/ })).toHaveAttribute('href', outcome.call);
      // Before the form, in reading order.
      const noticeTop = (await notice.boundingBox())!.y;
      const formTop = (await page.locator('form.booking-form').boundingBox())!.y;
      expect(noticeTop).toBeLessThan(formTop);
      await expect(page.getByRole('button', { name: 'Send booking request' })).toBeEnabled();
      // Attached answers say which outcome the check gave.
      await expect(page.locator('.health__summary')).toContainText(`Self-check result: `);
      await expect(page.locator('.health__summary')).toContainText(outcome.heading.replace('Your self-check result: ', ''));
      // A reload keeps it: the outcome is held in the tab.
      await page.reload();
      await appReady(page);
      await expect(page.getByRole('region', { name: outcome.heading })).toBeVisible();
    });
  }

  test('after "wait", the first bookable day is after the wait', async ({ page }) => {
    await withAnswers(page, { ...NONE, started: ['under_72_hours'], ...LOWER }, '/self-check/result');
    await expect(page.locator('main h1')).toHaveText('Massage can help, after the first 3 days');
    await expect(page.locator('.next-steps-list')).toContainText('after the first 3 days');
    await page.locator('main').getByRole('link', { name: 'Request a booking' }).click();
    await expect(page.getByRole('region', { name: /Your self-check result/ })).toContainText('after the first 3 days');
    const inThreeDays = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + 3 * 86_400_000));
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + 86_400_000));
    await expect(page.locator('#time-date-0')).toHaveAttribute('min', inThreeDays);
    // A day typed in before the wait is refused next to the field, with the first day allowed.
    await page.locator('#time-date-0').fill(tomorrow);
    await page.locator('#time-time-0').selectOption('18:00');
    await page.getByRole('button', { name: 'Send booking request' }).click();
    await expect(page.locator('.time-row').first()).toContainText('3 days');
  });

  test('with no check taken, or a suitable result, there is no notice', async ({ page }) => {
    await page.goto('/book');
    await appReady(page);
    await expect(page.locator('.self-check-notice')).toHaveCount(0);
    await withAnswers(page, { ...NONE, started: ['under_6_weeks'], ...LOWER }, '/book');
    await expect(page.locator('.self-check-notice')).toHaveCount(0);
    await expect(page.locator('.health__summary')).toContainText('Self-check result: Suitable for massage');
  });
});
