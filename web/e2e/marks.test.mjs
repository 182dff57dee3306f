// Similar-mark hints in a real browser (SPEC §15): the expo's known marks; an exhibitor typing a
// mark close to one sees the hint beside the mark text before filing, and files all the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, token, api, newPage, axe, shot, userData, settle, next } from './helpers.mjs';

const s = session({
  limits: { requestsPerSecond: 0 },
  knownMarks: [
    { text: 'HUAWEI', classes: [9, 38], owner: 'Huawei Technologies Co., Ltd.', registration: '1234567' },
    { text: '华为', classes: [9], owner: '华为技术有限公司', registration: '7654321' },
  ],
});

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

function trademark(mark) {
  return {
    kind: 'trademark', language: 'zh',
    trademark: { markType: 'word', markText: mark, classes: [{ class: 9, terms: ['电池'] }] },
    applicants: [{ name: '深圳储能科技有限公司', kind: 'organization', nationality: 'CN', domicile: 'CN', address: '广东省深圳市' }],
    contact: { name: '王芳', phone: '+86 138 0000 5678' },
  };
}

test('an examiner sees the same mark filed by another booth and dismisses it (Chinese)', async () => {
  // The queue is emptied first (the test before filed a trademark), so that the console leases
  // one of the two filings of this test.
  const api0 = token('examiner', { sub: 'examiner-drain' });
  for (;;) {
    const g = await api(s.srv.base, api0, 'POST', '/v1/queues/trademark/lease');
    if (g.status !== 200) break;
    await api(s.srv.base, api0, 'POST', '/v1/filings/' + g.data.filing.id + '/decision', { leaseToken: g.data.leaseToken, outcome: 'accept' });
  }
  // Two booths file nearly the same mark the same afternoon.
  const filed = [];
  for (const [ex, mark] of [['EX-SAME-1', '星光电池'], ['EX-SAME-2', '星光電池']]) {
    const r = await api(s.srv.base, token('kiosk', { exhibitor: ex, booth: '7K-70' + filed.length }), 'POST', '/v1/filings', trademark(mark), { 'Idempotency-Key': 'same-' + ex });
    assert.equal(r.status, 201, JSON.stringify(r.data));
    filed.push(r.data);
  }
  const o = await newPage(s.browser, 'zh-CN', { width: 1280, height: 900 });
  const { page } = o;
  userData(page, '星光电池', '星光電池', '深圳储能科技有限公司', '王芳', '广东省深圳市', 'examiner-li', '7K-700', '7K-701', 'kiosk-7K-700', 'kiosk-7K-701');
  await page.goto(s.srv.base + '/examiner/');
  await page.fill('#token', token('examiner', { sub: 'examiner-li' }));
  await page.click('text=保存');
  await page.waitForSelector('tr[data-queue=trademark]');
  await page.check('#q-trademark');
  await page.click('#next');
  await page.waitForSelector('#similar-marks tr[data-id]');
  const leased = (await page.textContent('#filing-title')).split(' ')[0];
  const mine = filed.find((f) => f.filingNumber === leased);
  const other = filed.find((f) => f.filingNumber !== leased);
  assert.ok(mine && other, leased);
  assert.equal(await page.locator('#similar-marks tbody tr').count(), 1, 'the other booth\'s filing only');
  assert.match(await page.textContent('#similar-marks'), new RegExp(other.filingNumber + '.*' + other.trademark.markText + '.*文字相同'));
  assert.deepEqual(await axe(page), [], 'accessibility of the similar marks');
  await shot(page, 'console-zh-similar-marks');
  await page.click('#similar-marks [data-verdict=dismissed]');
  await page.waitForFunction(() => document.querySelector('#similar-marks').textContent.includes('已排除'));
  await page.waitForFunction(() => document.querySelector('table.history').textContent.includes('排除近似商标'));
  assert.match(await page.textContent('table.history'), new RegExp('排除近似商标.*' + other.filingNumber));
  assert.deepEqual(o.errors, []);
  await o.context.close();
  // The kiosk of the filing never sees the other booth's filing.
  const k = await api(s.srv.base, token('kiosk', { exhibitor: mine.exhibitor, booth: mine.booth }), 'GET', '/v1/filings/' + mine.id);
  assert.equal(k.status, 200);
  assert.ok(!JSON.stringify(k.data).includes(other.id) && !('similarMarks' in k.data), JSON.stringify(k.data));
});

test('a supervisor exports the filings from the console: CSV with a byte order mark, for Excel', async () => {
  const o = await newPage(s.browser, 'en-US', { width: 1280, height: 900 });
  const { page } = o;
  userData(page, 'supervisor-wu');
  await page.goto(s.srv.base + '/examiner/');
  await page.fill('#token', token('supervisor', { sub: 'supervisor-wu' }));
  await page.click('text=Save');
  await page.waitForSelector('#export');
  await page.selectOption('#export-format', 'csv');
  const saved = page.waitForEvent('download');
  await page.click('#export');
  const download = await saved;
  assert.match(download.suggestedFilename(), /^CISCE2026-filings-\d{8}-\d{4}\.csv$/);
  const { readFile } = await import('node:fs/promises');
  const csv = await readFile(await download.path());
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte order mark');
  const text = csv.toString('utf8');
  assert.match(text, /Filing number \/ 申请号/);
  assert.match(text, /星光電池/);
  await page.waitForFunction(() => document.getElementById('export-status').textContent.startsWith('Saved'));
  assert.deepEqual(await axe(page), [], 'accessibility of the console with the export');
  await shot(page, 'console-en-export');
  assert.deepEqual(o.errors, []);
  await o.context.close();
  // The export is in the audit log.
  const audit = await api(s.srv.base, token('supervisor', { sub: 'supervisor-wu' }), 'GET', '/v1/audit');
  assert.equal(audit.data.items[0].actor, 'supervisor-wu');
  assert.equal(audit.data.items[0].filter.format, 'csv');
  assert.ok(audit.data.items[0].count >= 3, JSON.stringify(audit.data.items[0]));
});
