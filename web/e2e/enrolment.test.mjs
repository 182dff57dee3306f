// Enrolment (SPEC §18) in a real browser: the organiser signs in with the set-up link `serve`
// printed, keeps the exhibitor directory, enrols a booth's kiosk and a member of staff, prints
// a hall's sheet of set-up QR codes; the booth's tablet sets itself up from the link and files a
// trademark; revoked, it says it must be set up again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { session, newPage, axe, shot, userData, atStep, next, token, api } from './helpers.mjs';

const exhibitors = [
  { id: 'EX-0001', booth: '1A-101', name: 'Voltara GmbH', country: 'DE' },
  { id: 'EX-0002', booth: '2B-202', name: 'Ningde New Energy Technology Co., Ltd.', nameZh: '宁德新能源科技有限公司', country: 'CN' },
];
const s = session({ exhibitors });

async function check(page, name) {
  assert.deepEqual(await axe(page), [], `accessibility of ${name}`);
  await shot(page, name);
}

function done(p) {
  assert.deepEqual(p.outside, [], 'no request leaves 127.0.0.1');
  assert.deepEqual(p.errors, [], 'no script errors');
  return p.context.close();
}

test('the organiser enrols a booth; its tablet sets up from the link and files; revoked, it must be set up again', async () => {
  const o = await newPage(s.browser, 'en-US');
  const org = o.page;
  const people = ['Shenzhen Cells Co.', '深圳电芯有限公司', 'Zhang Wei', 'zhang@cells.example', 'Counter tablet', 'Wang Fang',
    'Organiser (ipfast serve)', 'Voltara GmbH', 'Ningde New Energy Technology Co., Ltd.', '宁德新能源科技有限公司'];
  userData(org, ...people);
  // serve's link signs the organiser in as a supervisor and opens the enrolment screen.
  await org.goto(s.srv.organiser);
  await org.waitForSelector('tr[data-exhibitor="EX-0002"]');
  assert.equal(new URL(org.url()).pathname, '/examiner/enrolment/');
  assert.doesNotMatch(org.url(), /setup=/, 'the code leaves the address bar');
  assert.equal((await org.textContent('header .who')).trim(), 'Organiser (ipfast serve)', 'the person, not their id');
  await check(org, 'enrolment-en-0-exhibitors');

  // A booth the configuration does not list is added here.
  await org.fill('#x-id', 'EX-0003');
  await org.fill('#x-booth', '2B-205');
  await org.fill('#x-name', 'Shenzhen Cells Co.');
  await org.fill('#x-namezh', '深圳电芯有限公司');
  await org.fill('#x-country', 'cn');
  await org.fill('#x-cname', 'Zhang Wei');
  await org.fill('#x-email', 'zhang@cells.example');
  await org.click('#save-exhibitor');
  await org.waitForSelector('tr[data-exhibitor="EX-0003"]');
  assert.match(await org.textContent('tr[data-exhibitor="EX-0003"]'), /2B-205.*CN.*added here/);

  // The booth's kiosk: enrolled, its code shown once as a QR code and a link.
  await org.click('#tab-kiosks');
  await org.waitForSelector('#k-exhibitor');
  await org.fill('#k-exhibitor', 'EX-0002');
  await org.dispatchEvent('#k-exhibitor', 'change');
  assert.equal(await org.inputValue('#k-booth'), '2B-202', 'the booth comes from the directory');
  await org.fill('#k-label', 'Counter tablet');
  await org.click('#enrol-kiosk');
  await org.waitForSelector('.setup-card .qr svg path');
  const link = (await org.textContent('.setup-card .setup-link')).trim();
  assert.match(link, new RegExp('^' + s.srv.base + '/#setup=[A-Za-z0-9_-]{22}$'));
  await check(org, 'enrolment-en-1-kiosk-code');

  // The tablet opens the link (what scanning the QR code does) and files a trademark.
  const k = await newPage(s.browser, 'en-US');
  const kiosk = k.page;
  userData(kiosk, ...people);
  await kiosk.goto(link);
  await kiosk.waitForSelector('[data-type=trademark]');
  assert.match(await kiosk.textContent('header'), /2B-202/);
  assert.doesNotMatch(kiosk.url(), /setup=/);
  await kiosk.click('[data-type=trademark]');
  await atStep(kiosk, 'applicants');
  await kiosk.fill('#f-applicants-0-name', 'Ningde New Energy Technology Co., Ltd.');
  await kiosk.fill('#f-applicants-0-nationality', 'CN');
  await kiosk.fill('#f-applicants-0-domicile', 'CN');
  await kiosk.fill('#f-applicants-0-address', 'Jiaocheng District, Ningde, Fujian');
  await next(kiosk, 'mark');
  await kiosk.fill('#f-trademark-markText', 'NINGNENG');
  await next(kiosk, 'classes');
  await kiosk.fill('#class-search', 'scientific');
  await kiosk.click('button[data-class="9"]');
  await kiosk.fill('#f-trademark-classes-0-terms', 'Batteries, electric');
  await next(kiosk, 'priority');
  await next(kiosk, 'documents');
  await next(kiosk, 'contact');
  await kiosk.fill('#f-contact-name', 'Wang Fang');
  await kiosk.fill('#f-contact-phone', '+86 593 000 0000');
  await next(kiosk, 'review');
  await kiosk.waitForSelector('#submit:not([disabled])');
  await kiosk.click('#submit');
  await kiosk.waitForSelector('#filing-number');

  // The organiser sees it was used, and revokes it after a confirmation.
  await org.click('#tab-exhibitors');
  await org.click('#tab-kiosks');
  const row = 'table#kiosks tr:has(td:text-is("2B-202"))';
  await org.waitForFunction(() => [...document.querySelectorAll('table#kiosks tr[data-id]')].some((r) => /2B-202/.test(r.textContent) && !/not yet/.test(r.textContent)));
  await org.click(row + ' button.revoke');
  await org.waitForSelector('#revoke-dialog[open]');
  assert.match(await org.textContent('#revoke-title'), /booth 2B-202 \(Counter tablet\)/);
  await check(org, 'enrolment-en-2-revoke-confirm');
  await org.click('#revoke-confirm');
  await org.waitForSelector(row + ' .state-revoked');
  await check(org, 'enrolment-en-3-kiosks');

  // The revoked tablet's next request: it must be set up again, its drafts gone.
  await kiosk.click('a[href="#/filings"]');
  await kiosk.waitForSelector('#setup-code');
  assert.match(await kiosk.textContent('main'), /organiser has switched this kiosk off/);
  assert.equal(await kiosk.evaluate(() => localStorage.getItem('ipfast.token')), null, 'the token is forgotten');
  await check(kiosk, 'kiosk-en-revoked');
  // Its link was single use.
  await kiosk.goto(link);
  await kiosk.waitForSelector('#setup-err p');
  assert.match(await kiosk.textContent('#setup-err'), /used, expired or unknown/);
  await kiosk.click('button.lang');
  await kiosk.waitForSelector('text=设置本终端');
  await check(kiosk, 'kiosk-zh-setup-code-used');
  await done(k);

  // A hall's sheet: every booth of hall 2B without a working kiosk (2B-202's was revoked,
  // 2B-205 has none) gets one, and a card each is printed; hall 1A is not touched.
  await org.evaluate(() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; });
  await org.selectOption('#hall', '2B');
  await org.click('#enrol-hall');
  await org.waitForFunction(() => window.printed === 1);
  const cards = await org.$$eval('#sheet .booth-card', (els) => els.map((e) => e.textContent));
  assert.equal(cards.length, 2);
  assert.match(cards[0], /2B-202.*Ningde New Energy Technology Co\., Ltd\..*宁德新能源科技有限公司/);
  assert.match(cards[1], /2B-205.*Shenzhen Cells Co\..*深圳电芯有限公司/);
  assert.equal(await org.$$eval('table#kiosks tr[data-id]', (rows) => rows.filter((r) => /1A-101/.test(r.textContent)).length), 0);
  await org.emulateMedia({ media: 'print' });
  await shot(org, 'enrolment-sheet-print');
  writeFileSync(join(tmpdir(), 'ipfast-enrolment-sheet.pdf'), await org.pdf({ format: 'A4' }));
  await org.emulateMedia({ media: 'screen' });
  await org.evaluate(() => document.body.classList.remove('printing'));

  // A member of staff: their link opens the console, signed in as an examiner.
  await org.click('#tab-staff');
  await org.waitForSelector('#s-name');
  await org.fill('#s-name', 'Wang Fang');
  await org.selectOption('#s-role', 'examiner');
  await org.click('#enrol-staff');
  await org.waitForSelector('.setup-card .qr svg');
  const staffLink = (await org.textContent('.setup-card .setup-link')).trim();
  assert.match(staffLink, /\/examiner\/#setup=/);
  await check(org, 'enrolment-en-4-staff');
  await org.click('button.lang');
  await org.waitForSelector('text=工作人员');
  await check(org, 'enrolment-zh-4-staff');
  await org.click('#tab-kiosks');
  await check(org, 'enrolment-zh-3-kiosks');
  await org.click('#tab-exhibitors');
  await check(org, 'enrolment-zh-0-exhibitors');

  const e = await newPage(s.browser, 'en-US');
  userData(e.page, ...people);
  await e.page.goto(staffLink);
  await e.page.waitForSelector('tr[data-queue=trademark]');
  assert.equal((await e.page.textContent('header .who')).trim(), 'Wang Fang');
  // The enrolled examiner decides the booth's filing; the dashboard names them, not their id.
  await e.page.check('#q-trademark');
  await e.page.click('#next');
  await e.page.waitForSelector('#filing-title');
  await e.page.focus('#extend');
  await e.page.keyboard.press('a');
  await e.page.waitForSelector('p.ok');
  await org.click('button.lang'); // back to English (the device keeps the choice)
  await org.waitForSelector('#tab-staff:text-is("Staff")');
  await org.goto(s.srv.base + '/examiner/dashboard/');
  await org.waitForFunction(() => /Wang Fang/.test((document.getElementById('examiners') || {}).textContent || ''));
  assert.doesNotMatch(await org.textContent('#examiners'), /stf_/);
  await org.goto(s.srv.base + '/examiner/enrolment/');
  await org.waitForSelector('#tab-staff');
  // Revoked, the examiner's console says so at its next request (the queues, every 5 s).
  await org.click('#tab-staff');
  await org.waitForSelector('table#staff');
  await org.click('table#staff tr:has(td:text-is("Wang Fang")) button.revoke');
  await org.waitForSelector('#revoke-dialog[open]');
  assert.match(await org.textContent('#revoke-title'), /Revoke Wang Fang \(Examiner\)\?/);
  await org.click('#revoke-confirm');
  await org.waitForSelector('table#staff tr:has(td:text-is("Wang Fang")) .state-revoked');
  await e.page.waitForSelector('#setup-code');
  assert.match(await e.page.textContent('main'), /organiser has revoked your access/);
  await shot(e.page, 'console-en-revoked');
  await e.page.click('button.lang');
  await e.page.waitForSelector('text=主办方已撤销您的访问权限');
  await check(e.page, 'console-zh-revoked');
  await done(e);

  // An officer reads the directory, and cannot change it or enrol.
  const officer = await newPage(s.browser, 'en-US');
  userData(officer.page, ...people);
  await officer.page.goto(s.srv.base + '/examiner/complaints/#token=' + encodeURIComponent(token('officer', { sub: 'officer-li' })));
  await officer.page.waitForSelector('#to-enrolment');
  await officer.page.click('#to-enrolment');
  await officer.page.waitForSelector('tr[data-exhibitor="EX-0003"]');
  assert.equal(await officer.page.locator('#tab-kiosks, #save-exhibitor, td.actions button').count(), 0);
  await check(officer.page, 'enrolment-en-officer-directory');
  await done(officer);
  await done(o);
});

// A kiosk set up from a code renews its token while in use: a request past half the token's
// life (by the server's clock; here the tablet's clock is moved on 13 hours) asks for a fresh
// one first and goes on with it.
test('a kiosk in use renews its token before it expires', async () => {
  const sup = token('supervisor', { sub: 'supervisor-renew' });
  const enrolled = await api(s.srv.base, sup, 'POST', '/v1/kiosks', { exhibitor: 'EX-0001', booth: '1A-101', label: 'Renewal tablet' });
  assert.equal(enrolled.status, 201);
  const k = await newPage(s.browser, 'en-US');
  await k.page.clock.install();
  await k.page.goto(enrolled.data.setupUrl.replace(/^\//, s.srv.base + '/'));
  await k.page.waitForSelector('[data-type=trademark]');
  const first = await k.page.evaluate(() => JSON.parse(localStorage.getItem('ipfast.token')));
  const claims = (tok) => JSON.parse(Buffer.from(tok.split('.')[1], 'base64url').toString());
  assert.equal(claims(first).sub, enrolled.data.id);
  assert.equal(claims(first).exp - claims(first).iat, 24 * 3600, 'a day');
  await new Promise((ok) => setTimeout(ok, 1100)); // a renewed token is issued at a later second
  await k.page.clock.fastForward('13:00:00');
  const renewed = k.page.waitForResponse((r) => r.url().endsWith('/v1/kiosks/renew') && r.status() === 200);
  await k.page.click('a[href="#/filings"]');
  await renewed;
  await k.page.waitForFunction((old) => JSON.parse(localStorage.getItem('ipfast.token')) !== old, first);
  const second = await k.page.evaluate(() => JSON.parse(localStorage.getItem('ipfast.token')));
  assert.equal(claims(second).sub, enrolled.data.id);
  assert.ok(claims(second).iat >= claims(first).iat);
  await k.page.waitForSelector('main h1:text-is("My filings")');
  await done(k);
});
