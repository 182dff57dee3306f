// The supervisor's dashboard in a real browser: with filings filed and decided through the API,
// it shows the figures of /v1/stats as tiles and SVG charts, in both languages, accessibly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { session, token, api, newPage, axe, shot, userData } from './helpers.mjs';

const s = session();

const applicant = (name, country) => ({ name, kind: 'organization', nationality: country, domicile: 'CN', address: 'Ningde, Fujian' });
const filing = (mark, country) => ({
  kind: 'trademark',
  trademark: { markType: 'word', markText: mark, classes: [{ class: 9, terms: ['Batteries, electric'] }] },
  applicants: [applicant(mark + ' Ltd', country)],
  contact: { name: 'Li Wei', email: 'li.wei@example.com' },
  language: 'en',
});

test('the dashboard renders the day from /v1/stats, in English and Chinese', async () => {
  const kiosk = token('kiosk', { exhibitor: 'EX-DASH', booth: '8G-801' });
  for (const [i, [mark, country]] of [['ALPHA', 'CN'], ['BRAVO', 'CN'], ['CHARLIE', 'DE'], ['DELTA', 'FR'], ['ECHO', 'CN']].entries()) {
    const r = await api(s.srv.base, kiosk, 'POST', '/v1/filings', filing(mark, country), { 'Idempotency-Key': 'dash-' + i });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  }
  // Two examiners decide three of them.
  for (const [who, outcome] of [['examiner-eve', 'accept'], ['examiner-eve', 'reject'], ['examiner-fay', 'request_correction']]) {
    const ex = token('examiner', { sub: who });
    const g = await api(s.srv.base, ex, 'POST', '/v1/queues/trademark/lease?wait=1');
    assert.equal(g.status, 200);
    const body = { leaseToken: g.data.leaseToken, outcome, reasons: outcome === 'accept' ? [] : [{ code: 'mark_unclear' }] };
    assert.equal((await api(s.srv.base, ex, 'POST', '/v1/filings/' + g.data.filing.id + '/decision', body)).status, 200);
  }

  // A complaint at the desk, with its certificate uploaded: the complaint tiles count it.
  const pdf = Buffer.from('%PDF-1.7\n% certificate\n%%EOF\n');
  const slot = await api(s.srv.base, kiosk, 'POST', '/v1/uploads',
    { role: 'right_certificate', contentType: 'application/pdf', size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') });
  assert.equal(slot.status, 201, JSON.stringify(slot.data));
  const sent = await fetch(slot.data.upload.url, { method: slot.data.upload.method, headers: slot.data.upload.headers, body: pdf });
  assert.ok(sent.ok, 'upload');
  const complaint = {
    complainant: { name: 'Voltara GmbH', kind: 'organization', nationality: 'DE', address: 'Berlin', contact: { name: 'Anna Schmidt', email: 'anna@voltara.example' } },
    right: { kind: 'trademark', number: '12345678', owner: 'Voltara GmbH', validUntil: '2030-01-01' },
    respondent: { booth: '3C-210' }, exhibits: [{ description: 'Power banks' }], attachments: [slot.data.id], language: 'en',
  };
  assert.equal((await api(s.srv.base, kiosk, 'POST', '/v1/complaints', complaint, { 'Idempotency-Key': 'dash-complaint' })).status, 201);

  const sup = await newPage(s.browser, 'en-US', { width: 1280, height: 800 });
  const page = sup.page;
  userData(page, 'examiner-eve', 'examiner-fay', 'supervisor-gus');
  await page.goto(s.srv.base + '/examiner/dashboard/');
  // An examiner's token is refused on the spot; a supervisor's opens the dashboard.
  await page.fill('#token', token('examiner', { sub: 'examiner-eve' }));
  await page.click('text=Save');
  assert.match(await page.textContent('#token-err'), /not a supervisor/);
  await page.fill('#token', token('supervisor', { sub: 'supervisor-gus' }));
  await page.click('text=Save');
  await page.waitForSelector('#tile-total');
  const tile = async (id) => (await page.textContent('#tile-' + id + ' .tile-value')).trim();
  assert.equal(await tile('total'), '5');
  assert.equal(await tile('queued'), '2');
  assert.equal(await tile('decided'), '3');
  // Every chart is drawn with bars for what happened.
  assert.equal(await page.locator('#examiners .bar-row').count(), 2);
  assert.match(await page.textContent('#examiners'), /examiner-eve[\s\S]*2[\s\S]*examiner-fay[\s\S]*1/);
  assert.equal(await page.locator('#countries .bar-row').count(), 3);
  assert.match(await page.textContent('#countries .bar-row:first-child'), /China \(CN\)\s*3/);
  assert.match(await page.textContent('#kinds'), /Trademark\s*5/);
  assert.ok(await page.locator('#hours svg rect.s-filed').count() >= 1, 'filings per hour are drawn');
  assert.ok(await page.locator('#hours svg rect.s-decided').count() >= 1, 'decisions per hour are drawn');
  assert.match(await page.textContent('#queue-ages'), /Trademarks\s*2 waiting · oldest/);
  // The figures behind a chart open as a table.
  assert.match(await page.textContent('#tile-complaints'), /^1/);
  assert.match(await page.textContent('#tile-to-check'), /^1\s*To check/);
  assert.match(await page.textContent('#tile-foreign'), /^100%/);
  await page.click('#countries summary');
  assert.match(await page.textContent('#countries table'), /Germany \(DE\)\s*1/);
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  assert.ok(await fits(), 'the dashboard fits at 1280×800 (en)');
  assert.deepEqual(await axe(page), [], 'accessibility of the dashboard (en)');
  await shot(page, 'dashboard-en');
  await page.click('button.lang');
  await page.waitForSelector('text=主管看板');
  assert.match(await page.textContent('#countries'), /中国（CN）\s*3/);
  assert.match(await page.textContent('#kinds'), /商标\s*5/);
  assert.ok(await fits(), 'the dashboard fits at 1280×800 (zh)');
  assert.deepEqual(await axe(page), [], 'accessibility of the dashboard (zh)');
  await shot(page, 'dashboard-zh');
  assert.deepEqual(sup.outside, []);
  assert.deepEqual(sup.errors, []);
  await sup.context.close();
});
