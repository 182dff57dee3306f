// An exhibition display certificate's verify page in a real browser (SPEC §12): an officer
// records an exhibit with a photo and issues its certificate through the API; its QR code's
// address opens the page, which shows it valid in English and in Chinese on a phone; revoked, it
// shows it revoked; a changed signature shows not valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { session, token, api, newPage, axe, shot, png, userData } from './helpers.mjs';

const s = session();

test('a certificate issued at the booth verifies on a phone in both languages, and shows its revocation', async () => {
  const officer = token('officer', { sub: 'officer-li' });
  const photo = png(640, 480);
  const sum = createHash('sha256').update(photo).digest('hex');
  const slot = await api(s.srv.base, officer, 'POST', '/v1/uploads', { role: 'exhibit_photo', contentType: 'image/png', size: photo.length, sha256: sum });
  assert.equal(slot.status, 201, JSON.stringify(slot.data));
  const put = await fetch(slot.data.upload.url, { method: slot.data.upload.method, headers: slot.data.upload.headers, body: photo });
  assert.ok(put.ok, 'photo upload');
  const ex = await api(s.srv.base, officer, 'POST', '/v1/exhibits',
    { exhibitor: 'EX-0001', booth: '1A-101', exhibit: 'Battery pack BX-9 with finned cooling plate', firstDisplayDate: '2026-06-22', photos: [slot.data.id] });
  assert.equal(ex.status, 201, JSON.stringify(ex.data));
  const c = await api(s.srv.base, officer, 'POST', '/v1/exhibits/' + ex.data.id + '/certificate');
  assert.equal(c.status, 201, JSON.stringify(c.data));
  assert.match(c.data.qr, new RegExp('/verify/' + c.data.id + '#'));

  for (const [locale, lang, valid] of [['en-US', 'en', /Valid: signed by the organiser/], ['zh-CN', 'zh', /有效：经主办方签名/]]) {
    const p = await newPage(s.browser, locale, { width: 390, height: 844 });
    userData(p.page, 'EX-0001', 'Battery pack BX-9 with finned cooling plate', 'officer-li', c.data.kid, c.data.certificateNumber,
      '4th China International Supply Chain Expo', 'Beijing', c.data.payload.exhibition.legalBasis);
    await p.page.goto(c.data.qr);
    await p.page.waitForSelector('#verdict');
    assert.match(await p.page.textContent('#verdict'), valid);
    const main = await p.page.textContent('main');
    assert.match(main, new RegExp(c.data.certificateNumber));
    assert.match(main, lang === 'zh' ? /第四届中国国际供应链促进博览会/ : /4th China International Supply Chain Expo/);
    assert.match(main, new RegExp(sum));
    assert.deepEqual(await axe(p.page), [], 'accessibility of the verify page');
    await shot(p.page, 'verify-' + lang + '-phone');
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.outside, []);
    await p.context.close();
  }

  // One character of the signature changed: not valid.
  const i = c.data.qr.length - 5;
  const tampered = c.data.qr.slice(0, i) + (c.data.qr[i] === 'A' ? 'B' : 'A') + c.data.qr.slice(i + 1);
  const t = await newPage(s.browser, 'en-US', { width: 390, height: 844 });
  await t.page.goto(tampered);
  await t.page.waitForSelector('#verdict');
  assert.match(await t.page.textContent('#verdict'), /Not valid/);
  await t.context.close();

  // Revoked by a supervisor: the same QR code now shows it revoked.
  const r = await api(s.srv.base, token('supervisor', { sub: 'supervisor-1' }), 'POST', '/v1/certificates/' + c.data.id + '/revoke', { reason: 'Issued for the wrong booth.' });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  const v = await newPage(s.browser, 'en-US', { width: 390, height: 844 });
  userData(v.page, 'EX-0001', 'Battery pack BX-9 with finned cooling plate', 'officer-li', c.data.kid, c.data.certificateNumber,
    '4th China International Supply Chain Expo', 'Beijing', c.data.payload.exhibition.legalBasis, 'Issued for the wrong booth.');
  await v.page.goto(c.data.qr);
  await v.page.waitForSelector('#verdict');
  assert.match(await v.page.textContent('#verdict'), /Revoked by the organiser/);
  await shot(v.page, 'verify-en-revoked');
  await v.context.close();
});

test('an officer records an exhibit at the booth with a photo and issues its certificate from the desk', async () => {
  const o = await newPage(s.browser, 'en-US', { width: 1280, height: 900 });
  const page = o.page;
  userData(page, 'EX-0007', '5D-501', 'Solar inverter SI-40, front row', 'officer-wang');
  await page.goto(s.srv.base + '/examiner/complaints/#token=' + encodeURIComponent(token('officer', { sub: 'officer-wang' })));
  await page.click('nav.tabs a[href="#/certificates"]');
  await page.waitForSelector('#issue-certificate');
  assert.equal(await page.inputValue('#cert-date'), '2026-06-23', 'the first display date starts at the expo\'s today');
  await page.fill('#cert-exhibitor', 'EX-0007');
  await page.fill('#cert-booth', '5D-501');
  await page.fill('#cert-exhibit', 'Solar inverter SI-40, front row');
  await page.fill('#cert-date', '2026-06-22');
  const chooser = page.waitForEvent('filechooser');
  await page.click('[data-camera=exhibit_photo]');
  await (await chooser).setFiles({ name: 'inverter.png', mimeType: 'image/png', buffer: png(800, 600) });
  await page.waitForSelector('fieldset ul.files li');
  assert.deepEqual(await axe(page), [], 'accessibility of the certificate form');
  await shot(page, 'desk-en-6-record-exhibit');
  await page.click('#issue-certificate');
  await page.waitForSelector('#issued');
  const number = (await page.textContent('#issued .big-number')).trim();
  assert.match(number, /^CISCE2026-EC-\d{6}$/);
  userData(page, number);
  await shot(page, 'desk-en-7-certificate-issued');
  await page.click('#open-verify');
  await page.waitForSelector('#verdict');
  assert.match(await page.textContent('#verdict'), /Valid: signed by the organiser/);
  assert.match(await page.textContent('main'), /Solar inverter SI-40/);
  assert.deepEqual(o.errors, []);
  assert.deepEqual(o.outside, []);
  await o.context.close();
});
