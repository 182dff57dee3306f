// The complaint desk in a real browser (SPEC §11): a rights holder's kiosk files a complaint in
// English with a photo of the exhibit from the camera; an officer accepts it at the desk; the
// respondent's kiosk sees the banner with its countdown and answers in Chinese; the officer
// decides infringement with the exhibit covered, and the floor staff's list and the ledgers show it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, token, api, newPage, axe, shot, png, userData } from './helpers.mjs';

const s = session();

async function accessible(page, name) {
  assert.deepEqual(await axe(page), [], `accessibility of ${name}`);
}

const pdf = (what) => Buffer.from('%PDF-1.7\n% ' + what + '\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

// pick clicks a button that opens a file chooser and gives it a file.
async function pick(page, selector, file) {
  const chooser = page.waitForEvent('filechooser');
  await page.click(selector);
  await (await chooser).setFiles(file);
}

const typed = {
  name: 'Voltara GmbH', address: 'Friedrichstraße 1, 10117 Berlin', contact: 'Anna Schmidt', email: 'anna.schmidt@voltara.example',
  number: 'ZL202310123456.7', booth: '3C-210', respondent: 'Shenzhen Copy Co.', exhibit: 'Battery pack with a finned cooling plate, front shelf',
  grounds: 'Claim 1 reads on the finned cooling plate of the exhibit: same fins, same channel layout.',
};
const statement = '我们的冷却板设计早于该专利的申请日，附上2021年的产品目录。';

test('a complaint is filed, accepted, answered in Chinese and decided', async () => {
  // ---- The rights holder's kiosk, in English.
  const complainantTok = token('kiosk', { exhibitor: 'EX-0100', booth: '1A-101' });
  const k = await newPage(s.browser, 'en-US', { width: 1024, height: 900 });
  const page = k.page;
  userData(page, typed, 'kiosk-1A-101', statement, '产品目录2021.pdf'); // the answer, once given
  await page.goto(s.srv.base + '/#token=' + encodeURIComponent(complainantTok));
  await page.waitForSelector('#file-complaint-start');
  await page.click('#file-complaint-start');
  await page.waitForSelector('.complaint-form');
  // Filed empty: every problem at its field, nothing stored.
  await page.click('#file-complaint');
  await page.waitForSelector('#complaint-problems li');
  const problems = await page.textContent('#complaint-problems');
  assert.match(problems, /certificate/i);
  assert.match(await page.textContent('[data-ptr="/respondent/booth"] .field-error'), /required/i);
  assert.match(problems, /Booth: This field is required/);
  await accessible(page, 'the complaint form with its problems');
  await shot(page, 'complaint-en-0-problems');

  await page.fill('#c-complainant-name', typed.name);
  await page.selectOption('#c-complainant-nationality', 'DE');
  await page.fill('#c-complainant-address', typed.address);
  await page.fill('#c-complainant-contact-name', typed.contact);
  await page.fill('#c-complainant-contact-email', typed.email);
  await page.fill('#c-right-number', typed.number);
  await page.fill('#c-right-validUntil', '2043-05-01');
  await page.fill('#c-right-owner', typed.name);
  await page.fill('#c-respondent-booth', typed.booth);
  await page.fill('#c-respondent-name', typed.respondent);
  await page.fill('#c-exhibits-0-description', typed.exhibit);
  // The exhibit's photo from the camera (an input with capture=environment).
  await pick(page, '[data-exhibit="0"] [data-camera=exhibit_photo]', { name: 'exhibit.png', mimeType: 'image/png', buffer: png(800, 600) });
  await page.waitForSelector('[data-exhibit="0"] ul.files li');
  await pick(page, '[data-choose=right_certificate]', { name: 'patent-certificate.pdf', mimeType: 'application/pdf', buffer: pdf('certificate') });
  await page.waitForSelector('[data-role=right_certificate] ul.files li');
  await page.fill('#c-grounds', typed.grounds);
  // What was fixed no longer shows as a problem.
  assert.equal(await page.locator('#complaint-problems li').count(), 0);
  // Reloading keeps the draft (photos included): the kiosk may lose its network or power.
  await page.reload();
  await page.waitForSelector('.complaint-form');
  assert.equal(await page.inputValue('#c-grounds'), typed.grounds);
  assert.equal(await page.locator('[data-exhibit="0"] ul.files li').count(), 1);
  await accessible(page, 'the complaint form');
  await shot(page, 'complaint-en-1-form');
  await page.click('#file-complaint');
  await page.waitForURL(/#\/complaints\/cpl_/);
  await page.waitForSelector('.complaint table.summary');
  const main = await page.textContent('main');
  assert.match(main, /CISCE2026-CP-000001/);
  assert.match(main, /submitted/);
  const id = page.url().split('/').pop();
  await page.waitForSelector('img.thumb[src]');
  await accessible(page, 'the filed complaint');
  await shot(page, 'complaint-en-2-filed');
  const stored = await api(s.srv.base, complainantTok, 'GET', '/v1/complaints/' + id);
  assert.equal(stored.data.exhibits[0].photos.length, 1);
  assert.deepEqual(stored.data.documents.map((d) => d.role).sort(), ['exhibit_photo', 'right_certificate']);

  // The respondent's kiosk sees nothing before the complaint is accepted.
  const respondentTok = token('kiosk', { exhibitor: 'EX-0042', booth: '3C-210' });
  assert.equal((await api(s.srv.base, respondentTok, 'GET', '/v1/complaints/' + id)).status, 404);

  // ---- The officer at the complaint desk accepts it.
  const o = await newPage(s.browser, 'en-US');
  const desk = o.page;
  userData(desk, typed, 'officer-li', statement, '产品目录2021.pdf');
  await desk.goto(s.srv.base + '/examiner/complaints/#token=' + encodeURIComponent(token('officer', { sub: 'officer-li' })));
  await desk.waitForSelector('[data-section=submitted] tr[data-id="' + id + '"]');
  await accessible(desk, 'the complaint desk');
  await shot(desk, 'desk-en-1-list');
  await desk.click('[data-section=submitted] tr[data-id="' + id + '"] a');
  await desk.waitForSelector('#accept-complaint');
  await desk.waitForSelector('img.thumb[src]');
  await accessible(desk, 'a submitted complaint at the desk');
  await shot(desk, 'desk-en-2-submitted');
  await desk.click('#accept-complaint');
  await desk.waitForSelector('#decision-panel');
  assert.match(await desk.textContent('main'), /accepted — awaiting the answer/);
  assert.match(await desk.textContent('.clock'), /\d+ h \d+ min left/);

  // ---- The respondent's kiosk, in Chinese: the banner with its countdown, then the answer.
  const r = await newPage(s.browser, 'zh-CN', { width: 1024, height: 900 });
  const rp = r.page;
  // What the respondent sees of the complainant's data (masked) and the file it chose.
  userData(rp, typed, statement, 'kiosk-3C-210', '****mple', '产品目录2021.pdf');
  await rp.goto(s.srv.base + '/#token=' + encodeURIComponent(respondentTok));
  await rp.waitForSelector('.banner-complaint');
  const banner = await rp.textContent('.banner-complaint');
  assert.match(banner, /CISCE2026-CP-000001/);
  assert.match(banner, /剩余\d+小时\d+分钟/);
  await accessible(rp, 'the respondent kiosk with the banner');
  await shot(rp, 'complaint-zh-3-banner');
  await rp.click('.banner-complaint a');
  await rp.waitForSelector('#answer-form');
  // Masked: the complainant's e-mail is not shown to the respondent.
  assert.doesNotMatch(await rp.textContent('main'), /anna\.schmidt/);
  await rp.fill('#statement', statement);
  await pick(rp, '#answer-form [data-choose=evidence]', { name: '产品目录2021.pdf', mimeType: 'application/pdf', buffer: pdf('catalogue 2021') });
  await rp.waitForSelector('#answer-form ul.files li');
  await accessible(rp, 'the answer form');
  await shot(rp, 'complaint-zh-4-answer');
  await rp.click('#send-answer');
  await rp.waitForSelector('.answer');
  assert.match(await rp.textContent('main'), /已答辩/);
  assert.equal(await rp.locator('.banner-complaint').count(), 0);
  await shot(rp, 'complaint-zh-5-answered');

  // ---- The officer decides: infringement, the exhibit covered.
  await desk.reload();
  await desk.waitForSelector('#decision-panel');
  assert.match(await desk.textContent('.answer'), /冷却板/);
  await desk.check('input[name=outcome][value=infringement]');
  await desk.check('#measures input[value=cover_exhibit]');
  await desk.fill('#decision-note', 'Exhibit covered at 14:10 by the floor staff.');
  await accessible(desk, 'the decision panel');
  await shot(desk, 'desk-en-3-decide');
  await desk.click('#decide-complaint');
  await desk.waitForSelector('.card.decision');
  const decided = await api(s.srv.base, complainantTok, 'GET', '/v1/complaints/' + id);
  assert.equal(decided.data.state, 'decided');
  assert.deepEqual(decided.data.decision, { ...decided.data.decision, outcome: 'infringement', measures: ['cover_exhibit'] });

  // The floor staff's list and the ledgers.
  await desk.click('nav.tabs a[href="#/measures"]');
  await desk.waitForSelector('#measures-table');
  assert.match(await desk.textContent('#measures-table'), /3C-210[\s\S]*Cover the exhibit/);
  await shot(desk, 'desk-en-4-measures');
  await desk.click('nav.tabs a[href="#/ledgers"]');
  await desk.waitForSelector('#ledger-respondents');
  assert.match(await desk.textContent('#ledger-respondents'), /Shenzhen Copy Co\.[\s\S]*3C-210[\s\S]*1[\s\S]*1/);
  await desk.click('button.lang');
  await desk.waitForSelector('#ledger-complainants');
  await accessible(desk, 'the ledgers');
  await shot(desk, 'desk-zh-5-ledgers');

  // The complainant's kiosk reads the decision.
  await page.click('header a[href="#/complaints"]');
  await page.waitForSelector('tr[data-id="' + id + '"]');
  assert.match(await page.textContent('tr[data-id="' + id + '"]'), /decided/);
  await page.click('tr[data-id="' + id + '"] a');
  await page.waitForSelector('.card.decision');
  assert.match(await page.textContent('.card.decision'), /Infringement[\s\S]*Cover the exhibit/);
  await shot(page, 'complaint-en-6-decided');
  for (const x of [k, o, r]) {
    assert.deepEqual(x.errors, [], 'script errors');
    assert.deepEqual(x.outside, [], 'requests beyond 127.0.0.1');
    await x.context.close();
  }
});
