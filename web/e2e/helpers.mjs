// Helpers of the browser tests: a real `ipfast serve` on 127.0.0.1 (a fresh data dir each), tokens
// from `ipfast token`, Debian chromium driven by playwright-core, axe-core checks, screenshots,
// and a guard that no request leaves 127.0.0.1.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { deflateSync, crc32 } from 'node:zlib';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BIN = process.env.IPFAST_BIN;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SECRET = 'browser-test-secret';
// The expo's second day, 10:00 in Beijing: the exhibition claim and its dates hold.
export const CLOCK_START = '2026-06-23T02:00:00Z';

if (!BIN) throw new Error('IPFAST_BIN is not set: run the browser tests with scripts/browser.sh');

// startServer runs `ipfast serve` on a free loopback port with a fresh data dir, with the
// expo configuration config (an object, written to the data dir) when one is given.
export async function startServer(config) {
  const dir = mkdtempSync(join(tmpdir(), 'ipfast-browser-'));
  const args = ['serve', '-addr', '127.0.0.1:0', '-data', dir];
  if (config) {
    writeFileSync(join(dir, 'expo.json'), JSON.stringify(config));
    args.push('-config', join(dir, 'expo.json'));
  }
  const child = spawn(BIN, args, {
    env: { ...process.env, IPFAST_TOKEN_SECRET: SECRET, IPFAST_CLOCK_START: CLOCK_START },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stderr.on('data', (b) => { logs += b; });
  // The kiosk's address and the organiser's set-up link (SPEC §18), printed after it.
  const [base, organiser] = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('serve printed no URL: ' + logs)), 30000);
    child.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/Kiosk:\s+(http:\/\/127\.0\.0\.1:\d+)\//);
      const o = out.match(/(http:\/\/\S+\/examiner\/#setup=\S+)/);
      if (m && o) { clearTimeout(timer); resolve([m[1], o[1]]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error('serve exited ' + code + ': ' + logs)); });
  });
  return {
    base,
    organiser,
    logs: () => logs,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((ok) => { if (child.exitCode !== null) ok(); else child.on('exit', ok); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// token mints a token with `ipfast token`.
export function token(role, { exhibitor, booth, sub } = {}) {
  const args = ['token', '-role', role, '-ttl', '336h'];
  if (exhibitor) args.push('-exhibitor', exhibitor);
  if (booth) args.push('-booth', booth);
  if (sub) args.push('-sub', sub);
  return execFileSync(BIN, args, { env: { ...process.env, IPFAST_TOKEN_SECRET: SECRET } }).toString().trim().split('\n').pop().trim();
}

// api calls the server from the test (to confirm what the pages did).
export async function api(base, tok, method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method, headers: { Authorization: 'Bearer ' + tok, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch (_) { data = text; }
  return { status: res.status, data };
}

// session starts a server (with the expo configuration config, if given) and a browser before
// a test file's tests and stops them after.
export function session(config) {
  const s = { srv: null, browser: null };
  before(async () => {
    s.srv = await startServer(config);
    s.browser = await launch();
  });
  after(async () => {
    if (s.browser) await s.browser.close();
    if (s.srv) await s.srv.stop();
  });
  return s;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

// newPage opens a context in a locale (the pages default to the browser's language) and
// records every request that would leave 127.0.0.1 (and blocks it).
// With { route: false } requests are only watched, not routed: routing turns the browser's
// HTTP cache off and bypasses the service worker, which the caching tests need.
export async function newPage(browser, locale, viewport = { width: 1280, height: 900 }, { route = true } = {}) {
  const context = await browser.newContext({ locale, viewport });
  const outside = [];
  const isOutside = (href) => {
    const u = new URL(href);
    return u.protocol !== 'data:' && u.protocol !== 'blob:' && u.hostname !== '127.0.0.1';
  };
  if (route) {
    await context.route('**/*', (r) => {
      if (isOutside(r.request().url())) {
        outside.push(r.request().url());
        return r.abort();
      }
      return r.continue();
    });
  } else {
    context.on('request', (r) => { if (isOutside(r.url())) outside.push(r.url()); });
  }
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Script errors, and what the browser refused (Content-Security-Policy, unsafe headers).
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused|Uncaught/.test(m.text())) errors.push(m.text());
  });
  return { context, page, outside, errors };
}

// axe runs axe-core on the page and returns the serious and critical violations.
export async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '));
}

// Screenshots go to IPFAST_SCREENSHOTS (`make screenshots` sets docs/screenshots), else to a
// temporary directory, so that `make test` leaves the tree as it was.
const shots = process.env.IPFAST_SCREENSHOTS || join(tmpdir(), 'ipfast-screenshots');
mkdirSync(shots, { recursive: true });

// shot writes a screenshot to <shots>/<name>.png.
// Every screen photographed is also checked for words of the other language (otherLanguage):
// a name with "-zh" is a Chinese screen, any other an English one.
export async function shot(page, name, { fullPage = true } = {}) {
  const lang = /-zh(-|$)/.test(name) ? 'zh' : 'en';
  assert.deepEqual(await otherLanguage(page, lang), [], `words of the other language on ${name}`);
  await page.screenshot({ path: join(shots, name + '.png'), fullPage, animations: 'disabled' });
}

// userData declares what a test put into a page by other means than typing (filings made
// through the API, token subjects): people's data, in whichever language they wrote it.
export function userData(page, ...values) {
  const kept = seenUserData.get(page) || new Set();
  const gather = (v) => {
    if (typeof v === 'string' && v.trim()) kept.add(v.trim());
    else if (v && typeof v === 'object') Object.values(v).forEach(gather);
  };
  gather(values);
  seenUserData.set(page, kept);
}

// png builds a valid RGB PNG by hand (design views), so the tests need no image library.

export function png(width, height) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 255) / width; raw[o + 1] = (y * 255) / height; raw[o + 2] = 160;
    }
  }
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'binary'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// otherLanguage lists the words on a page that are in the other language: Latin words on a
// Chinese screen, Chinese characters on an English one. Not counted: what people typed (the
// kiosk's draft, gathered across a page's screens, and the strings in userData), text inside an
// element that declares another language (the language switch), and codes (words with digits,
// upper-case abbreviations such as CN, CNY, PDF, QR), e-mail addresses, web addresses and the
// name ipfast.
const seenUserData = new WeakMap();
export async function otherLanguage(page, lang, userData = []) {
  const kept = seenUserData.get(page) || new Set();
  seenUserData.set(page, kept);
  const found = await page.evaluate(([lang, given]) => {
    const data = new Set(given);
    const gather = (v) => {
      if (typeof v === 'string' && v.trim()) data.add(v.trim());
      else if (v && typeof v === 'object') Object.values(v).forEach(gather);
    };
    for (const k of ['ipfast.draft']) {
      try { gather(JSON.parse(localStorage.getItem(k))); } catch (_) { /* none */ }
    }
    // Codes in the data (kind, markType, language: "trademark", "word", "en") are not words
    // people wrote, and removing short strings would cut real words apart.
    const strings = [...data].filter((x) => x.length >= 3 && !/^[a-z_]+$/.test(x)).sort((a, b) => b.length - a.length);
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, noscript, kbd, [hidden]') || !el.getClientRects().length) continue;
      const declared = el.closest('[lang]');
      if (declared && declared !== document.documentElement && !declared.lang.startsWith(lang)) continue;
      let text = n.textContent;
      for (const s of strings) text = text.split(s).join(' ');
      text = text.replace(/\S+@\S+\.\S+/g, ' ').replace(/https?:\/\/\S+/g, ' ');
      const words = lang === 'zh'
        ? (text.match(/[A-Za-z][A-Za-z0-9'’._-]*/g) || []).filter((w) => w.length > 1 && !/\d/.test(w) && !/^[A-Z]{1,6}s?$/.test(w.replace(/[._-]/g, '')) && w !== 'ipfast')
        : (text.match(/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g) || []);
      for (const w of words) bad.push(w + ' ← “' + n.textContent.trim().slice(0, 60) + '”');
    }
    return { bad, data: [...data] };
  }, [lang, [...kept, ...userData]]);
  found.data.forEach((d) => kept.add(d));
  return found.bad;
}

// settle waits until the kiosk's live check has answered (the fee bar no longer says …).
export async function settle(page) {
  await page.waitForFunction(() => {
    const fee = document.getElementById('feebar');
    return !fee || !fee.textContent.includes('…');
  });
}

// atStep waits for the wizard's step and its check.
export async function atStep(page, step) {
  await page.waitForSelector(`[data-current-step="${step}"]`);
  await settle(page);
}

// next goes to the wizard's next step, which must be step.
export async function next(page, step) {
  await page.click('#next');
  await atStep(page, step);
}
