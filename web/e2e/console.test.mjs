// The examiner console with the kiosk in a real browser: an examiner leases a filing and asks
// for a correction, the kiosk amends it, the examiner accepts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { session, token, api, newPage, axe, shot, png, userData } from './helpers.mjs';

const s = session();

const trademark = {
  kind: 'trademark',
  trademark: { markType: 'word', markText: 'FIRSTTRY', classes: [{ class: 9, terms: ['Batteries, electric', 'Battery chargers'] }] },
  applicants: [{ name: 'Ningde Cells Ltd', kind: 'organization', nationality: 'CN', domicile: 'CN', address: 'Ningde, Fujian', idNumber: '91350900587527783P' }],
  contact: { name: 'Li Wei', email: 'li.wei@example.com', phone: '+86 138 0000 1234' },
  language: 'en',
};

async function accessible(page, name) {
  assert.deepEqual(await axe(page), [], `accessibility of ${name}`);
}

test('an examiner requests a correction, the kiosk amends, the examiner accepts', async () => {
  const kioskTok = token('kiosk', { exhibitor: 'EX-AM', booth: '3C-303' });
  const filed = await api(s.srv.base, kioskTok, 'POST', '/v1/filings', trademark, { 'Idempotency-Key': 'console-1' });
  assert.equal(filed.status, 201);
  const id = filed.data.id;

  // The examiner provisions the console with a token, picks the queue and leases.
  const ex = await newPage(s.browser, 'en-US');
  const exPage = ex.page;
  userData(exPage, trademark, 'SECONDTRY', 'Please add the power of attorney.', 'examiner-anna');
  await exPage.goto(s.srv.base + '/examiner/');
  await exPage.fill('#token', token('examiner', { sub: 'examiner-anna' }));
  await exPage.click('text=Save');
  await exPage.waitForSelector('tr[data-queue=trademark]');
  await accessible(exPage, 'console queues');
  await shot(exPage, 'console-en-0-queues');
  await exPage.check('#q-trademark');
  await exPage.click('#next');
  await exPage.waitForSelector('#filing-title');
  assert.match(await exPage.textContent('#filing-title'), new RegExp(filed.data.filingNumber));
  // The lease holder sees the personal data whole, the history and the countdown.
  assert.match(await exPage.textContent('#filing'), /91350900587527783P/);
  assert.match(await exPage.textContent('#countdown'), /Lease ends in 1[45]:\d\d/);
  await accessible(exPage, 'console with a lease');
  await shot(exPage, 'console-en-1-filing');

  // Decide by keyboard: c requests the correction, with a reason and a note.
  await exPage.check('#reason-document_missing');
  await exPage.fill('#note', 'Please add the power of attorney.');
  await exPage.focus('#extend');
  await exPage.keyboard.press('c');
  // The decision waits out its undo time with its reasons shown, then goes.
  await exPage.waitForSelector('#pending .pending-decision');
  assert.match(await exPage.textContent('#pending'), /A document is missing/);
  await shot(exPage, 'console-en-3-decision-pending');
  await exPage.waitForSelector('p.ok');
  assert.match(await exPage.textContent('p.ok'), /correction requested/);
  let got = await api(s.srv.base, kioskTok, 'GET', '/v1/filings/' + id);
  assert.equal(got.data.state, 'correction_requested');

  // The kiosk sees the request with the examiner's reasons and amends.
  const k = await newPage(s.browser, 'en-US');
  const page = k.page;
  userData(page, trademark, 'Please add the power of attorney.');
  await page.goto(s.srv.base + '/#token=' + encodeURIComponent(kioskTok));
  await page.waitForSelector('[data-type=trademark]');
  await page.goto(s.srv.base + '/#/filings/' + id);
  await page.waitForSelector('#amend');
  assert.match(await page.textContent('main'), /A document is missing/);
  assert.match(await page.textContent('main'), /Please add the power of attorney/);
  await shot(page, 'kiosk-en-correction-requested');
  await page.click('#amend');
  await page.waitForSelector('[data-current-step=applicants]');
  await page.click('[data-step=mark]');
  await page.waitForSelector('[data-current-step=mark]');
  await page.fill('#f-trademark-markText', 'SECONDTRY');
  await page.click('[data-step=review]');
  await page.waitForSelector('[data-current-step=review]');
  await page.waitForSelector('#submit:not([disabled])');
  await page.click('#submit');
  await page.waitForSelector('#filing-number');
  assert.equal((await page.textContent('#filing-number')).trim(), filed.data.filingNumber);
  got = await api(s.srv.base, kioskTok, 'GET', '/v1/filings/' + id);
  assert.equal(got.data.state, 'queued');
  assert.equal(got.data.trademark.markText, 'SECONDTRY');
  assert.equal(got.data.filingDate, filed.data.filingDate);

  // The examiner leases it again, switches to Chinese, and accepts with a.
  await exPage.click('#next');
  await exPage.waitForSelector('#filing-title');
  assert.match(await exPage.textContent('#filing'), /SECONDTRY/);
  await exPage.click('button.lang');
  await exPage.waitForSelector('text=审查工作台');
  await accessible(exPage, 'console in Chinese');
  await shot(exPage, 'console-zh-1-filing');
  await exPage.focus('#extend');
  await exPage.keyboard.press('a');
  await exPage.waitForSelector('p.ok');
  assert.match(await exPage.textContent('p.ok'), /已作出决定/);
  got = await api(s.srv.base, kioskTok, 'GET', '/v1/filings/' + id);
  assert.equal(got.data.state, 'accepted');
  await shot(exPage, 'console-zh-0-queues');

  for (const p of [ex, k]) {
    assert.deepEqual(p.outside, [], 'no request leaves 127.0.0.1');
    assert.deepEqual(p.errors, [], 'no script errors');
    await p.context.close();
  }
});

test('the console shows a design view inline to the examiner holding the lease', async () => {
  const kioskTok = token('kiosk', { exhibitor: 'EX-VIEW', booth: '4D-404' });
  const view = png(320, 240);
  const digest = createHash('sha256').update(view).digest('hex');
  const slot = await api(s.srv.base, kioskTok, 'POST', '/v1/uploads', { role: 'views', contentType: 'image/png', size: view.length, sha256: digest });
  assert.equal(slot.status, 201);
  const put = await fetch(slot.data.upload.url, { method: 'PUT', headers: slot.data.upload.headers, body: view });
  assert.equal(put.status, 204);
  const design = {
    kind: 'patent',
    patent: { type: 'design', title: 'Battery pack housing', locarnoClass: '13-02', briefDescription: 'Housing of a battery pack; the front view shows the design best.', inventors: [{ name: 'Zhang San', nationality: 'CN' }] },
    applicants: trademark.applicants, attachments: [slot.data.id], contact: trademark.contact, language: 'en',
  };
  const filed = await api(s.srv.base, kioskTok, 'POST', '/v1/filings', design, { 'Idempotency-Key': 'design-1' });
  assert.equal(filed.status, 201);

  const ex = await newPage(s.browser, 'en-US');
  const page = ex.page;
  userData(page, design, 'examiner-ben');
  await page.goto(s.srv.base + '/examiner/');
  await page.fill('#token', token('examiner', { sub: 'examiner-ben' }));
  await page.click('text=Save');
  await page.waitForSelector('tr[data-queue=patent-design]');
  await page.check('#q-patent-design');
  await page.click('#next');
  await page.waitForSelector('#filing img');
  await page.waitForFunction(() => document.querySelector('#filing img').naturalWidth === 320);
  await shot(page, 'console-en-2-design-view');
  // A design's reasons are a design's: its views and brief description, never a mark.
  assert.ok(await page.isVisible('#reason-views_unclear'));
  assert.ok(await page.isVisible('#reason-brief_description_insufficient'));
  assert.equal(await page.$('#reason-mark_unclear'), null);
  assert.equal(await page.$('#reason-class_term_unacceptable'), null);
  // A reload keeps the lease (the filing is still this examiner's).
  await page.reload();
  await page.waitForSelector('#filing img');
  assert.match(await page.textContent('#countdown'), /Lease ends in/);
  // Release: the filing goes back to its queue.
  await page.click('#release');
  await page.waitForSelector('#filing', { state: 'detached' });
  const got = await api(s.srv.base, kioskTok, 'GET', '/v1/filings/' + filed.data.id);
  assert.equal(got.data.state, 'queued');
  assert.deepEqual(ex.outside, []);
  assert.deepEqual(ex.errors, []);
  await ex.context.close();
});

test('the console at 1280×800: no horizontal overflow in either language, a waiting state, and undo within 5 s sends nothing', async () => {
  const kioskTok = token('kiosk', { exhibitor: 'EX-UNDO', booth: '5E-505' });
  const filed = await api(s.srv.base, kioskTok, 'POST', '/v1/filings', trademark, { 'Idempotency-Key': 'undo-1' });
  assert.equal(filed.status, 201);
  const ex = await newPage(s.browser, 'en-US', { width: 1280, height: 800 });
  const page = ex.page;
  userData(page, trademark, 'examiner-cai');
  const decisions = [];
  page.on('request', (r) => { if (r.url().includes('/decision')) decisions.push(r.url()); });
  await page.goto(s.srv.base + '/examiner/');
  await page.fill('#token', token('examiner', { sub: 'examiner-cai' }));
  await page.click('text=Save');
  await page.waitForSelector('tr[data-queue=trademark]');
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth &&
    [...document.querySelectorAll('.card')].every((c) => c.scrollWidth <= c.clientWidth + 1));
  for (const lang of ['en', 'zh']) {
    if (lang === 'zh') await page.click('button.lang');
    assert.ok(await fits(), `the queues fit at 1280×800 (${lang})`);
  }
  await page.click('button.lang'); // back to English
  // An empty queue: the console shows that it is looking.
  await page.check('#q-patent-invention');
  await page.click('#next');
  await page.waitForSelector('#waiting');
  assert.match(await page.textContent('#waiting'), /Looking for the next filing in Invention patents/);
  await page.waitForSelector('#waiting', { state: 'detached', timeout: 15000 });
  // A filing: the decision beside it, both languages fit.
  await page.check('#q-trademark');
  await page.click('#next');
  await page.waitForSelector('#filing-title');
  const filing = await page.locator('#filing').boundingBox();
  const decision = await page.locator('#decision').boundingBox();
  assert.ok(decision.x > filing.x + filing.width - 1 && decision.y < 300, `the decision panel is beside the filing: ${JSON.stringify({ filing, decision })}`);
  for (const lang of ['en', 'zh']) {
    assert.ok(await fits(), `the leased filing fits at 1280×800 (${lang})`);
    if (lang === 'en') await page.click('button.lang');
  }
  await page.click('button.lang');
  await shot(page, 'console-en-1280x800-filing', { fullPage: false });
  for (const id of ['#accept', '#reject', '#correction']) {
    const b = await page.locator(id).boundingBox();
    assert.ok(b && b.y + b.height <= 800, `${id} is in view at 1280×800 without scrolling: ${JSON.stringify(b)}`);
  }
  // Accept, then undo within the 5 seconds: nothing is sent.
  await page.focus('#extend');
  await page.keyboard.press('a');
  await page.waitForSelector('#undo');
  assert.match(await page.textContent('#pending'), /Decision on CISCE2026-TM-\d+: accepted\. Sending in [1-5] s/);
  await page.click('#undo');
  await page.waitForTimeout(6000);
  assert.deepEqual(decisions, [], 'no decision request after undo');
  const got = await api(s.srv.base, kioskTok, 'GET', '/v1/filings/' + filed.data.id);
  assert.equal(got.data.state, 'in_review');
  assert.match(await page.textContent('main'), /Decision undone: nothing was sent/);
  // Escape undoes too; a decision left alone is sent once its time is up.
  await page.keyboard.press('a');
  await page.waitForSelector('#undo');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#pending .pending-decision', { state: 'detached' });
  await page.keyboard.press('a');
  await page.waitForSelector('p.ok', { timeout: 10000 });
  assert.equal(decisions.length, 1);
  assert.equal((await api(s.srv.base, kioskTok, 'GET', '/v1/filings/' + filed.data.id)).data.state, 'accepted');
  assert.deepEqual(await axe(page), [], 'accessibility after the decision');
  assert.deepEqual(ex.outside, []);
  assert.deepEqual(ex.errors, []);
  await ex.context.close();
});

test('an examiner finds filings by number, applicant and booth, sorts them, and opens one read-only', async () => {
  const a = token('kiosk', { exhibitor: 'EX-FIND-A', booth: '7F-701' });
  const b = token('kiosk', { exhibitor: 'EX-FIND-B', booth: '7F-702' });
  const fa = await api(s.srv.base, a, 'POST', '/v1/filings', { ...trademark, trademark: { ...trademark.trademark, markText: 'ZEPHYRA' },
    applicants: [{ ...trademark.applicants[0], name: 'Hans Müller GmbH' }], language: 'en' }, { 'Idempotency-Key': 'find-a' });
  const fb = await api(s.srv.base, b, 'POST', '/v1/filings', { ...trademark, trademark: { ...trademark.trademark, markText: 'ALPENGLOW' },
    applicants: [{ ...trademark.applicants[0], name: '深圳市大疆创新科技有限公司' }] }, { 'Idempotency-Key': 'find-b' });
  assert.equal(fa.status, 201);
  assert.equal(fb.status, 201);

  const ex = await newPage(s.browser, 'en-US', { width: 1280, height: 800 });
  const page = ex.page;
  userData(page, trademark, 'Hans Müller GmbH', 'ZEPHYRA', 'ALPENGLOW', '深圳市大疆创新科技有限公司', 'examiner-dora', '7f-70');
  await page.goto(s.srv.base + '/examiner/');
  await page.fill('#token', token('examiner', { sub: 'examiner-dora' }));
  await page.click('text=Save');
  await page.waitForSelector('tr[data-queue=trademark]');
  let seq = 0;
  const find = async (q, filters = {}) => {
    await page.fill('#q', q);
    for (const [id, v] of Object.entries(filters)) await page.selectOption(id, v);
    await page.click('#search');
    await page.waitForSelector(`.search-results[data-seq="${++seq}"]`);
    return page.$$eval('.results-table tbody tr', (rows) => rows.map((r) => r.querySelector('td').textContent));
  };
  assert.deepEqual(await find(fa.data.filingNumber), [fa.data.filingNumber], 'by number');
  assert.deepEqual(await find('muller'), [fa.data.filingNumber], 'by applicant, without the accent');
  assert.deepEqual(await find('大疆'), [fb.data.filingNumber], 'by a Chinese applicant, inside the name');
  assert.deepEqual(await find('7F-702'), [fb.data.filingNumber], 'by booth');
  assert.deepEqual(await find('7f-70'), [fb.data.filingNumber, fa.data.filingNumber], 'newest first');
  assert.deepEqual(await find('7f-70', { '#f-state': 'accepted' }), [], 'a state filter');
  assert.match(await page.textContent('#results-count'), /No filing matches/);
  assert.deepEqual(await find('7f-70', { '#f-state': '' }), [fb.data.filingNumber, fa.data.filingNumber]);
  // Sorting by the mark puts ALPENGLOW first, then the other way round.
  await page.click('button[data-sort=subject]');
  assert.deepEqual(await page.$$eval('.results-table tbody tr td:first-child', (c) => c.map((x) => x.textContent)), [fb.data.filingNumber, fa.data.filingNumber]);
  await page.click('button[data-sort=subject]');
  assert.deepEqual(await page.$$eval('.results-table tbody tr td:first-child', (c) => c.map((x) => x.textContent)), [fa.data.filingNumber, fb.data.filingNumber]);
  assert.equal(await page.getAttribute('button[data-sort=subject] >> xpath=..', 'aria-sort'), 'descending');
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth &&
    [...document.querySelectorAll('.card, .table-scroll')].every((c) => c.scrollWidth <= c.clientWidth + 1));
  assert.ok(await fits(), 'the list fits at 1280×800 (en)');
  await accessible(page, 'console list');
  await shot(page, 'console-en-4-search');
  await page.click('button.lang');
  await page.waitForSelector('text=查找申请');
  assert.ok(await fits(), 'the list fits at 1280×800 (zh)');
  await accessible(page, 'console list in Chinese');
  await shot(page, 'console-zh-4-search');
  await page.click('button.lang');

  // Open one: read-only, personal data masked, its history; back to the list.
  await page.click(`a:text("${fa.data.filingNumber}")`);
  await page.waitForSelector('#filing-title');
  assert.match(await page.textContent('#filing-title'), new RegExp(fa.data.filingNumber));
  const text = await page.textContent('#filing');
  assert.match(text, /ZEPHYRA/);
  assert.match(text, /\*\*\*\*783P/);
  assert.doesNotMatch(text, /91350900587527783P/);
  assert.match(text, /History[\s\S]*filed/);
  assert.equal(await page.$('#accept'), null, 'no decision without a lease');
  assert.match(await page.textContent('.side'), /To decide on this filing, lease it from its queue/);
  assert.ok(await fits(), 'the read-only filing fits');
  await accessible(page, 'a filing opened read-only');
  await shot(page, 'console-en-5-read-only', { fullPage: false });
  await page.click('#back-to-list');
  await page.waitForSelector('.results-table');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), fa.data.filingNumber, 'focus returns to the filing in the list');
  const got = await api(s.srv.base, a, 'GET', '/v1/filings/' + fa.data.id);
  assert.equal(got.data.state, 'queued', 'reading it leased nothing');
  assert.deepEqual(ex.outside, []);
  assert.deepEqual(ex.errors, []);
  await ex.context.close();
});
