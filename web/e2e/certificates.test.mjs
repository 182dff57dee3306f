// Exhibition display certificates in a real browser (SPEC §12): an officer records an exhibit
// with a photo and issues its certificate; its QR code's address opens the verify page, which
// shows it valid in English and in Chinese on a phone; revoked, it shows it revoked; a changed
// signature shows not valid. The exhibitor finds it on the kiosk with its QR code and PDF and
// files a trademark with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { session, token, api, newPage, axe, shot, png, userData, settle, next } from './helpers.mjs';

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

// pdfText is the text poppler's pdftotext reads from a PDF (make test installs poppler-utils).
function pdfText(buf) {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: buf }).toString();
}

test('the exhibitor finds its certificate on the kiosk with QR code and PDF, and files a trademark with it', async () => {
  const officer = token('officer', { sub: 'officer-li' });
  const exhibit = '固态电池包 BX-9（液冷）';
  const ex = await api(s.srv.base, officer, 'POST', '/v1/exhibits', { exhibitor: 'EX-CERT', booth: '7G-707', exhibit, firstDisplayDate: '2026-06-22' });
  assert.equal(ex.status, 201, JSON.stringify(ex.data));
  const c = await api(s.srv.base, officer, 'POST', '/v1/exhibits/' + ex.data.id + '/certificate');
  assert.equal(c.status, 201, JSON.stringify(c.data));
  assert.equal(c.data.pdf, '/v1/certificates/' + c.data.id + '.pdf');

  // The certificate's PDF, public like the certificate, read as a person's tools read it.
  const res = await fetch(s.srv.base + c.data.pdf);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const text = pdfText(Buffer.from(await res.arrayBuffer())).replace(/\n/g, '');
  for (const want of [c.data.certificateNumber, '第四届中国国际供应链促进博览会', '展会展出证明', '固态电池包 BX-9（液冷）', '7G-707']) {
    assert.ok(text.includes(want), 'the certificate PDF lacks ' + want);
  }

  const tok = token('kiosk', { exhibitor: 'EX-CERT', booth: '7G-707' });
  const p = await newPage(s.browser, 'zh-CN');
  const { page } = p;
  userData(page, exhibit, c.data.certificateNumber, 'BX-9');
  await page.goto(s.srv.base + '/#token=' + encodeURIComponent(tok));
  await page.click('#my-certificates');
  await page.waitForSelector('section.certificate');
  assert.match(await page.textContent('section.certificate'), new RegExp(c.data.certificateNumber));
  assert.match(await page.textContent('section.certificate'), /有效/);
  await page.waitForFunction(() => { const i = document.querySelector('img.cert-qr'); return i && i.complete && i.naturalWidth > 0; });
  assert.equal(await page.getAttribute('section.certificate a[download]', 'href'), c.data.pdf);
  assert.deepEqual(await axe(page), [], 'accessibility of the certificates screen');
  await shot(page, 'kiosk-zh-certificates');

  // A trademark whose exhibition claim names the certificate: it fills in what it proves.
  await page.click('a.brand');
  await page.click('[data-type=trademark]');
  await page.waitForSelector('[data-current-step="applicants"]');
  await page.fill('#f-applicants-0-name', '深圳储能科技有限公司');
  await page.fill('#f-applicants-0-nationality', 'CN');
  await page.fill('#f-applicants-0-domicile', 'CN');
  await page.fill('#f-applicants-0-address', '广东省深圳市南山区');
  await next(page, 'mark');
  await page.fill('#f-trademark-markText', '储能星');
  await next(page, 'classes');
  await page.fill('#class-search', '科学');
  await page.click('button[data-class="9"]');
  await page.fill('#f-trademark-classes-0-terms', '电池');
  await next(page, 'priority');
  await page.check('#exhibition-on');
  await page.waitForSelector('#f-exhibition-certificate');
  await page.selectOption('#f-exhibition-certificate', c.data.id);
  await page.waitForFunction(() => document.getElementById('f-exhibition-booth').value === '7G-707');
  assert.equal(await page.inputValue('#f-exhibition-firstDisplayDate'), '2026-06-22');
  assert.equal(await page.inputValue('#f-exhibition-exhibit'), exhibit);
  await settle(page);
  assert.deepEqual(await axe(page), [], 'accessibility of the exhibition claim with a certificate');
  await shot(page, 'kiosk-zh-tm-4-priority-certificate');
  await next(page, 'documents');
  await next(page, 'contact');
  await page.fill('#f-contact-name', '王芳');
  await page.fill('#f-contact-phone', '+86 138 0000 5678');
  await next(page, 'review');
  assert.match(await page.textContent('main'), new RegExp(c.data.certificateNumber));
  await page.waitForSelector('#submit:not([disabled])');
  await page.click('#submit');
  await page.waitForSelector('#filing-number');
  const number = (await page.textContent('#filing-number')).trim();
  // The receipt saved as a PDF from the kiosk, to mail home.
  const saved = page.waitForEvent('download');
  await page.click('#receipt-pdf');
  const download = await saved;
  assert.equal(download.suggestedFilename(), number + '-receipt.pdf');
  const { readFile } = await import('node:fs/promises');
  assert.match((await readFile(await download.path())).subarray(0, 5).toString(), /^%PDF-/);

  // Filed with its certificate: no exhibition evidence is left to send.
  const list = await api(s.srv.base, tok, 'GET', '/v1/filings');
  const f = list.data.items.find((x) => x.filingNumber === number);
  assert.equal(f.exhibition.certificate, c.data.id);
  assert.ok(!f.deadlines.some((d) => d.kind === 'exhibition_evidence'), JSON.stringify(f.deadlines));
  // Its receipt as a PDF names it.
  const r = await fetch(s.srv.base + '/v1/filings/' + f.id + '/receipt', { headers: { Authorization: 'Bearer ' + tok, Accept: 'application/pdf' } });
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const receipt = pdfText(Buffer.from(await r.arrayBuffer())).replace(/\n/g, '');
  for (const want of [number, '申请受理回执', '储能星', c.data.id]) {
    assert.ok(receipt.includes(want), 'the receipt PDF lacks ' + want);
  }
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.outside, []);
  await p.context.close();
});

test('a booth asks for a certificate from its kiosk; the officer confirms it at the booth and issues it', async () => {
  const tok = token('kiosk', { exhibitor: 'EX-ASK', booth: '8H-808' });
  const k = await newPage(s.browser, 'en-US');
  userData(k.page, 'Heat pump HP-12 on the front table');
  await k.page.goto(s.srv.base + '/#token=' + encodeURIComponent(tok));
  await k.page.click('#my-certificates');
  await k.page.waitForSelector('#ask');
  await k.page.fill('#ask-exhibit', 'Heat pump HP-12 on the front table');
  assert.equal(await k.page.inputValue('#ask-date'), '2026-06-23', 'today, within the expo');
  const chooser = k.page.waitForEvent('filechooser');
  await k.page.click('#ask [data-camera=exhibit_photo]');
  await (await chooser).setFiles({ name: 'heat-pump.png', mimeType: 'image/png', buffer: png(800, 600) });
  await k.page.waitForSelector('#ask ul.files li');
  await k.page.click('#ask-send');
  await k.page.waitForSelector('#waiting li');
  assert.match(await k.page.textContent('#waiting'), /Heat pump HP-12 on the front table · First shown 2026-06-23 · photos: 1/);
  assert.match(await k.page.textContent('#ask-status'), /An IP officer will come to your booth/);
  assert.deepEqual(await axe(k.page), [], 'accessibility of the kiosk certificates screen with a request');
  await shot(k.page, 'kiosk-en-certificates-asked');

  // At the desk, in Chinese: the request, confirmed and issued in one step.
  const o = await newPage(s.browser, 'zh-CN', { width: 1280, height: 900 });
  userData(o.page, 'Heat pump HP-12 on the front table', 'EX-ASK', '8H-808', 'officer-zhao');
  await o.page.goto(s.srv.base + '/examiner/complaints/#token=' + encodeURIComponent(token('officer', { sub: 'officer-zhao' })));
  await o.page.click('nav.tabs a[href="#/certificates"]');
  await o.page.waitForSelector('#declared tr[data-id]');
  assert.deepEqual(await axe(o.page), [], 'accessibility of the declared list');
  await shot(o.page, 'desk-zh-8-declared');
  await o.page.click('#declared tr[data-id] button');
  await o.page.waitForSelector('#issued');
  const number = (await o.page.textContent('#issued .big-number')).trim();
  assert.match(number, /^CISCE2026-EC-\d{6}$/);
  assert.equal(await o.page.locator('#declared').count(), 0, 'nothing left to confirm');
  assert.deepEqual(o.errors, []);
  await o.context.close();

  // Back at the kiosk: the certificate, and nothing waiting.
  await k.page.click('a.brand');
  await k.page.click('#my-certificates');
  await k.page.waitForSelector('section.certificate');
  assert.match(await k.page.textContent('section.certificate'), new RegExp(number));
  assert.equal(await k.page.locator('#waiting').count(), 0);
  assert.deepEqual(k.errors, []);
  assert.deepEqual(k.outside, []);
  await k.context.close();
});
