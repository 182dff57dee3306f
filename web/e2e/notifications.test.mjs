// Notifications (SPEC §17) as staff see them: the supervisor's outbox on the dashboard while the
// mail server cannot be reached (every message waiting, with the attempts and the reason), a
// resend; a filing's mail in the examiner console, in Chinese. (Delivery itself is tested
// against Mailpit in shared/local and cmd/ipfast.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { session, token, api, newPage, axe, shot, userData } from './helpers.mjs';

// A loopback port nothing listens on: the mail server is down.
const closed = await new Promise((resolve) => {
  const srv = createServer();
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
});

const s = session({
  limits: { requestsPerSecond: 0 },
  notifications: { smtp: { host: '127.0.0.1', port: closed, from: 'ipfast <noreply@expo.example>', tls: 'none' } },
});

const trademark = (mark, email, language) => ({
  kind: 'trademark',
  trademark: { markType: 'word', markText: mark, classes: [{ class: 9, terms: ['Batteries, electric'] }] },
  applicants: [{ name: mark + ' Power Ltd', kind: 'organization', nationality: 'CN', domicile: 'CN', address: 'Ningde, Fujian' }],
  contact: { name: 'Li Wei', email }, language,
});

test('the outbox shows what waits for the mail server and why; a filing shows its mail', async () => {
  const kiosk = token('kiosk', { exhibitor: 'EX-MAIL', booth: '6E-601' });
  const a = await api(s.srv.base, kiosk, 'POST', '/v1/filings', trademark('SOLARIS', 'li.wei@example.com', 'en'), { 'Idempotency-Key': 'mail-a' });
  const b = await api(s.srv.base, kiosk, 'POST', '/v1/filings', trademark('星河', 'wang.fang@example.cn', 'zh'), { 'Idempotency-Key': 'mail-b' });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  // An examiner asks for a correction of the first.
  const ex = token('examiner', { sub: 'examiner-ivy' });
  const g = await api(s.srv.base, ex, 'POST', '/v1/queues/trademark/lease?wait=1');
  assert.equal(g.status, 200);
  const corrected = g.data.filing;
  assert.equal((await api(s.srv.base, ex, 'POST', '/v1/filings/' + corrected.id + '/decision',
    { leaseToken: g.data.leaseToken, outcome: 'request_correction', reasons: [{ code: 'class_term_unacceptable', note: 'Name the goods.' }] })).status, 200);
  // The sender has tried each of the three (connection refused) by now.
  const sup = token('supervisor', { sub: 'supervisor-kim' });
  let pending;
  for (let i = 0; i < 100; i++) {
    pending = await api(s.srv.base, sup, 'GET', '/v1/notifications?state=pending');
    if (pending.data.items.length === 3 && pending.data.items.every((n) => n.attempts > 0)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(pending.data.items.length, 3, JSON.stringify(pending.data));
  const reason = pending.data.items[0].lastError;
  assert.match(reason, /^smtp: cannot reach 127\.0\.0\.1:\d+ \(connect: connection refused\)$/);

  const p = await newPage(s.browser, 'en-US', { width: 1280, height: 800 });
  const page = p.page;
  userData(page, 'supervisor-kim', 'examiner-ivy', 'li.wei@example.com', 'wang.fang@example.cn', a.data.filingNumber, b.data.filingNumber,
    ...pending.data.items.map((n) => n.lastError));
  await page.goto(s.srv.base + '/examiner/dashboard/');
  await page.fill('#token', sup);
  await page.click('text=Save');
  await page.waitForSelector('#outbox tbody tr');
  assert.equal(await page.locator('#outbox tbody tr').count(), 3);
  const outbox = await page.textContent('#outbox');
  assert.match(outbox, /Mail to contacts/);
  assert.match(outbox, new RegExp(a.data.filingNumber + '[\\s\\S]*Filing received[\\s\\S]*li\\.wei@example\\.com'));
  assert.match(outbox, /Correction requested/);
  assert.match(outbox, /tried (once|\d+ times) · smtp: cannot reach 127\.0\.0\.1:\d+ \(connect: connection refused\)/);
  assert.equal(await page.getAttribute('#outbox button[data-state=pending]', 'aria-pressed'), 'true');
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  assert.ok(await fits(), 'the outbox fits at 1280×800');
  assert.deepEqual(await axe(page), [], 'accessibility of the dashboard with the outbox');
  await page.locator('#outbox').scrollIntoViewIfNeeded();
  await shot(page, 'dashboard-en-outbox', { fullPage: false });
  // Nothing was sent; a resend makes a message due at once.
  await page.click('#outbox button[data-state=sent]');
  await page.waitForSelector('#outbox button[data-state=sent][aria-pressed=true]');
  assert.match(await page.textContent('#outbox'), /None\./);
  await page.click('#outbox button[data-state=pending]');
  await page.waitForSelector('#outbox tbody tr');
  const id = 'filed.' + b.data.id + '.1';
  const before = (await api(s.srv.base, sup, 'GET', '/v1/notifications?state=pending')).data.items.find((n) => n.id === id);
  await page.click(`#outbox tr[data-id="${id}"] button`);
  await page.waitForSelector('#outbox [role=status]');
  assert.match(await page.textContent('#outbox [role=status]'), /will be sent again/);
  // Made due at once (counted as a resend), or, when the sender was trying it at that moment,
  // left to that attempt: either way it is tried again (at the latest after the longest
  // backoff, 30 s).
  let after;
  for (let i = 0; i < 400; i++) {
    after = (await api(s.srv.base, sup, 'GET', '/v1/notifications?state=pending')).data.items.find((n) => n.id === id);
    if (after.resends === 1 || after.attempts > before.attempts) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(after.resends === 1 || after.attempts > before.attempts, JSON.stringify({ before, after }));

  assert.deepEqual(p.outside, []);
  assert.deepEqual(p.errors, []);
  await p.context.close();

  // The examiner console: the filing's mail, in Chinese, the address masked for an examiner.
  const e = await newPage(s.browser, 'zh-CN', { width: 1280, height: 800 });
  const con = e.page;
  userData(con, 'examiner-ivy', 'kiosk-6E-601', '****.com', corrected, b.data, ...pending.data.items.map((n) => n.lastError));
  await con.goto(s.srv.base + '/examiner/');
  await con.fill('#token', token('examiner', { sub: 'examiner-ivy' }));
  await con.click('#setup button.primary, button:text("保存")');
  await con.waitForSelector('tr[data-queue=trademark]');
  await con.fill('#q', corrected.filingNumber);
  await con.click('#search');
  await con.waitForSelector('.results-table');
  await con.click(`a:text("${corrected.filingNumber}")`);
  await con.waitForSelector('#mail tbody tr');
  const mail = await con.textContent('#mail');
  assert.match(mail, /受理通知[\s\S]*待发送/);
  assert.match(mail, /补正通知/);
  assert.match(mail, /\*\*\*\*\.com/);
  assert.doesNotMatch(mail, /li\.wei@example\.com/);
  assert.equal(await con.locator('#mail button').count(), 0, 'examiners do not resend');
  assert.deepEqual(await axe(con), [], 'accessibility of a filing with its mail (zh)');
  await con.locator('#mail').scrollIntoViewIfNeeded();
  await shot(con, 'console-zh-mail', { fullPage: false });
  assert.deepEqual(e.outside, []);
  assert.deepEqual(e.errors, []);
  await e.context.close();
});
