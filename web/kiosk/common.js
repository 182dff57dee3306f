// What the kiosk and the examiner console share: building elements, the API client with the
// kept token, the expo's clock, and small formatting helpers.
import { t, lang, setLang, has } from './i18n.js';

// h builds an element: h('button', {class: 'x', onclick: f}, 'text', child…).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// load and save keep JSON values on this device.
export function load(key, fallback) {
  try {
    const v = localStorage.getItem('ipfast.' + key);
    return v === null ? fallback : JSON.parse(v);
  } catch (_) {
    return fallback;
  }
}

export function save(key, value) {
  try {
    if (value === undefined || value === null) localStorage.removeItem('ipfast.' + key);
    else localStorage.setItem('ipfast.' + key, JSON.stringify(value));
  } catch (_) { /* storage full or private mode: the screen still works */ }
}

// claimsOf reads a token's claims (unverified: for display only; the server verifies).
export function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  } catch (_) {
    return null;
  }
}

// Client is the API with a kept token (storage key name). A token from a set-up code (SPEC §18:
// its sub is an enrolled kiosk's "ksk_…" or person's "stf_…") renews itself while in use: a
// request made after half its life asks for a fresh one first.
export class Client {
  constructor(name) {
    this.name = name;
    this.token = load(name, '');
    this.onUnauthorized = () => {};
    this.renewing = null;
  }

  setToken(tok) {
    this.token = tok;
    save(this.name, tok || null);
  }

  // setUp exchanges a set-up code (kind 'kiosks' or 'staff') for a token and keeps it; it
  // returns the answer's status (0: no answer).
  async setUp(kind, code) {
    const res = await fetch('/v1/' + kind + '/setup', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) }).catch(() => null);
    if (!res) return 0;
    const data = await res.json().catch(() => ({}));
    if (res.status === 200 && data.token) this.setToken(data.token);
    return res.status;
  }

  // renew fetches a fresh token for an enrolled caller past half its token's life by the
  // server's clock (known once the expo is loaded), one request at a time.
  renew() {
    const c = claimsOf(this.token) || {};
    const kind = /^ksk_/.test(c.sub) ? 'kiosks' : /^stf_/.test(c.sub) ? 'staff' : '';
    if (!kind || this.renewing || !expo.synced || !c.exp || !c.iat || serverNow() / 1000 < c.iat + (c.exp - c.iat) / 2) return this.renewing;
    const old = this.token;
    this.renewing = fetch('/v1/' + kind + '/renew', { method: 'POST', headers: { Authorization: 'Bearer ' + old } })
      .then(async (res) => {
        const data = await res.json().catch(() => ({}));
        if (res.status === 200 && data.token && this.token === old) this.setToken(data.token);
        else if (res.status === 401) this.onUnauthorized(data.code);
      })
      .catch(() => { /* offline: the next request tries again */ })
      .finally(() => { this.renewing = null; });
    return this.renewing;
  }

  // call sends a request and returns {status, data}; it throws only when no answer came (the
  // network is down), so callers can tell "refused" from "not sent". A 401 calls
  // onUnauthorized with its code (token_revoked: the organiser cut this device or person off).
  async call(method, path, body, headers) {
    await this.renew();
    const init = { method, headers: { Authorization: 'Bearer ' + this.token, ...(headers || {}) } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(path, init);
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = text; }
    if (res.status === 401) this.onUnauthorized(data && data.code);
    return { status: res.status, data };
  }
}

// Expo information and its clock. skew is the server's clock minus this device's, so that
// countdowns and dates follow the office even when this device's clock is off.
export const expo = { info: load('expo', null), skew: 0, synced: false };

// withToken sends the device's token on public calls too: the server then limits this device's
// requests on their own instead of together with every device behind the hall's one address.
function withToken(token) { return token ? { headers: { Authorization: 'Bearer ' + token } } : {}; }

// expoLabel is the expo the device works in, as the API names it for this device's token
// (a deployment may host several expos): its name in the page's language and its dates.
export function expoLabel() {
  const x = expo.info;
  if (!x || !x.id) return null;
  const name = lang() === 'zh' && x.nameZh ? x.nameZh : (x.name || x.id);
  return h('span', { class: 'expo', lang: lang() === 'zh' && x.nameZh ? 'zh' : 'en' },
    name + (x.startDate ? ' · ' + x.startDate + ' – ' + x.endDate : ''));
}

export async function loadExpo(token) {
  try {
    const before = Date.now();
    const res = await fetch('/v1/expo', withToken(token));
    if (!res.ok) return expo.info;
    const info = await res.json();
    expo.skew = Date.parse(info.now) - (before + Date.now()) / 2;
    expo.info = info;
    expo.synced = true;
    save('expo', info);
  } catch (_) { /* offline: the kept copy serves */ }
  return expo.info;
}

// serverNow is the office's current time in milliseconds.
export function serverNow() { return Date.now() + expo.skew; }

// loadReference fetches a public class list, kept for offline use.
export async function loadReference(name, token) {
  try {
    const res = await fetch('/v1/reference/' + name, withToken(token));
    if (res.ok) {
      const list = await res.json();
      save('ref.' + name, list);
      return list;
    }
  } catch (_) { /* offline */ }
  return load('ref.' + name, []);
}

// heading is a class heading in the current language.
export function heading(c) { return lang() === 'zh' ? c.heading_zh : c.heading; }

export function sizeText(n) {
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MB';
  if (n >= 1 << 10) return (n / (1 << 10)).toFixed(1) + ' KB';
  return n + ' B';
}

export function sleep(ms) { return new Promise((ok) => setTimeout(ok, ms)); }

// randomKey is a fresh random id (crypto.randomUUID needs a secure context; this does not).
export function randomKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// langButton is the Chinese/English switch of every screen; rerender draws the screen again.
export function langButton(rerender) {
  return h('button', {
    type: 'button', class: 'secondary lang', lang: lang() === 'zh' ? 'en' : 'zh',
    onclick: () => { setLang(lang() === 'zh' ? 'en' : 'zh'); rerender(); },
  }, t('switchLang'));
}

// Contrast: the high-contrast, large-text display, kept on the device.
export function applyContrast() {
  document.documentElement.classList.toggle('contrast', load('contrast', false) === true);
}

// contrastButton turns high contrast on and off (a toggle button: aria-pressed).
export function contrastButton(rerender) {
  const on = load('contrast', false) === true;
  return h('button', {
    type: 'button', class: 'secondary contrast-toggle', 'aria-pressed': on ? 'true' : 'false',
    onclick: () => { save('contrast', !on); applyContrast(); rerender(); },
  }, t('contrast'));
}

// colon and paren punctuate in the page's language: full-width in Chinese ("费用：", "（选填）").
export function colon() { return lang() === 'zh' ? '：' : ': '; }
export function paren(s) { return lang() === 'zh' ? '（' + s + '）' : ' (' + s + ')'; }
export function semi() { return lang() === 'zh' ? '；' : '; '; }

// actionLabel names an audit event's action ("decided:accept" → "accepted", "受理").
export function actionLabel(a) { const k = 'action_' + a.replace(':', '_'); return has(k) ? t(k) : a; }

// stateLabel names a filing state.
export function stateLabel(s) { return t('state_' + s); }

// typeOf is a filing's type key: trademark, invention, utility_model or design.
export function typeOf(f) { return f.kind === 'trademark' ? 'trademark' : (f.patent && f.patent.type) || 'invention'; }

// subjectOf is a filing's title or mark.
export function subjectOf(f) {
  if (f.trademark) return f.trademark.markText || '(' + t('markType_' + f.trademark.markType) + ')';
  return (f.patent && f.patent.title) || '';
}

// feeLabel names a fee item.
export function feeLabel(it) { return t('fee_' + it.code, { class: it.class || '', quantity: it.quantity || '' }); }

// feesTable lists fee items with the total.
export function feesTable(fees) {
  if (!fees) return null;
  return h('table', { class: 'fees' },
    h('caption', {}, t('fees') + paren(fees.currency)),
    h('tbody', {},
      (fees.items || []).map((it) => h('tr', {}, h('td', {}, feeLabel(it)), h('td', { class: 'num' }, String(it.amount)))),
      h('tr', { class: 'total' }, h('th', { scope: 'row' }, t('total')), h('td', { class: 'num' }, fees.total + ' ' + fees.currency))));
}

// typeByName is a file's content type from its name, for browsers that give none.
export function typeByName(name) {
  const types = { pdf: 'application/pdf', png: 'image/png', mp3: 'audio/mpeg', wav: 'audio/wav' };
  return types[(name.match(/\.(\w+)$/) || [])[1]?.toLowerCase()] || 'image/jpeg';
}

// put sends bytes as an upload target says, reporting progress (XHR: fetch has no upload progress).
export function put(target, buf, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(target.method, target.url);
    for (const [k, v] of Object.entries(target.headers || {})) {
      // The browser sets Content-Length itself (scripts may not); S3 still checks it.
      if (!/^(content-length|host)$/i.test(k)) x.setRequestHeader(k, v);
    }
    x.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100)); };
    x.onload = () => (x.status >= 200 && x.status < 300 ? resolve() : reject(new Error((x.responseText || '').slice(0, 200) || 'HTTP ' + x.status)));
    x.onerror = () => reject(new Error(t('offline')));
    x.send(buf);
  });
}

// daysLeft is how many days there are from the expo's today to the date due ("YYYY-MM-DD"):
// negative when it has passed.
export function daysLeft(due) {
  const today = (expo.info && expo.info.filingDate) || new Date(serverNow()).toISOString().slice(0, 10);
  return Math.round((Date.parse(due + 'T00:00:00Z') - Date.parse(today + 'T00:00:00Z')) / 86400000);
}

// deadlineText is a follow-up deadline for people: "2026-09-23 (92 days left)".
export function deadlineText(d) {
  const n = daysLeft(d.due);
  const left = n > 0 ? t('daysLeft', { n }) : n === 0 ? t('dueToday') : t('overdueDays', { n: -n });
  return d.due + paren(left);
}
