// Similar-mark hints in a real browser (SPEC §15): the expo's known marks; an exhibitor typing a
// mark close to one sees the hint beside the mark text before filing, and files all the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, token, newPage, axe, shot, userData } from './helpers.mjs';

const s = session({
  limits: { requestsPerSecond: 0 },
  knownMarks: [
    { text: 'HUAWEI', classes: [9, 38], owner: 'Huawei Technologies Co., Ltd.', registration: '1234567' },
    { text: '华为', classes: [9], owner: '华为技术有限公司', registration: '7654321' },
  ],
});

async function settle(page) {
  await page.waitForFunction(() => {
    const fee = document.getElementById('feebar');
    return !fee || !fee.textContent.includes('…');
  });
}

async function next(page, step) {
  await page.click('#next');
  await page.waitForSelector(`[data-current-step="${step}"]`);
  await settle(page);
}

test('an exhibitor sees the similar-mark hint beside the mark text before filing', async () => {
  const tok = token('kiosk', { exhibitor: 'EX-HINT', booth: '9J-909' });
  const p = await newPage(s.browser, 'en-US');
  const { page } = p;
  userData(page, 'Huawei Technologies Co., Ltd.', '华为技术有限公司', '华为', 'HUAWEI', 'Hua Wei Power', 'Hua-Wei', '88 Keyuan Road, Shenzhen');
  await page.goto(s.srv.base + '/#token=' + encodeURIComponent(tok));
  await page.click('[data-type=trademark]');
  await page.waitForSelector('[data-current-step="applicants"]');
  await page.fill('#f-applicants-0-name', 'Hua Wei Power');
  await page.fill('#f-applicants-0-nationality', 'CN');
  await page.fill('#f-applicants-0-domicile', 'CN');
  await page.fill('#f-applicants-0-address', '88 Keyuan Road, Shenzhen');
  await next(page, 'mark');
  await page.fill('#f-trademark-markText', 'Hua-Wei');
  await next(page, 'classes');
  await page.fill('#class-search', 'scientific');
  await page.click('button[data-class="9"]');
  await page.fill('#f-trademark-classes-0-terms', 'Batteries, electric');
  await page.waitForSelector('#step-problems .field-warning');
  assert.match(await page.textContent('#step-problems'), /Close to the registered mark “HUAWEI” \(reg\. 1234567/);
  // Back at the mark: the hint beside the text, in both readings.
  await page.click('#back');
  await page.waitForSelector('[data-current-step="mark"]');
  await settle(page);
  await page.waitForSelector('#f-trademark-markText-err .field-warning');
  const hint = await page.textContent('#f-trademark-markText-err');
  assert.match(hint, /“HUAWEI”.*the same text/);
  assert.match(hint, /“华为”.*the same pinyin reading/);
  assert.equal(await page.getAttribute('#f-trademark-markText', 'aria-invalid'), 'false', 'a hint is not an error');
  assert.deepEqual(await axe(page), [], 'accessibility of the mark step with a hint');
  await shot(page, 'kiosk-en-mark-hint');
  // It files all the same.
  await next(page, 'classes');
  await next(page, 'priority');
  await next(page, 'documents');
  await next(page, 'contact');
  await page.fill('#f-contact-name', 'Anna Weber');
  await page.fill('#f-contact-email', 'anna@example.com');
  await next(page, 'review');
  assert.match(await page.textContent('#review-warnings'), /HUAWEI/);
  await page.waitForSelector('#submit:not([disabled])');
  await page.click('#submit');
  await page.waitForSelector('#filing-number');
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.outside, []);
  await p.context.close();
});
