// The supervisor's dashboard: the day at a glance from GET /v1/stats (kept incrementally by the
// store, so polling it is cheap): the queues and the age of their oldest filing, filings and
// decisions per hour, decisions per examiner, filings by kind and by country. Charts are plain
// SVG drawn here (no library, no CDN); each has its figures as a table beside it for screen
// readers and for reading exact values.
import { t, initLang, lang, has } from '/i18n.js';
import '/complaint-strings.js';
import '/examiner/mail-strings.js';
import { h, claimsOf, Client, expo, expoLabel, loadExpo, loadReference, langButton, stateLabel, colon } from '/common.js';
import { unauthorizedKey } from '/examiner/staff.js';

initLang();
const api = new Client('examinerToken');
const app = document.getElementById('app');
const SVG = 'http://www.w3.org/2000/svg';
const REFRESH_SECONDS = 30;

let stats = null;
// The notification outbox (SPEC §17) in one state at a time.
let outbox = { state: 'pending', items: [], nextCursor: '' };
let outboxNote = '';
let problem = '';
let places = { countries: [] };
let people = {}; // enrolled staff: id → name

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

function num(n) { return new Intl.NumberFormat(lang() === 'zh' ? 'zh-CN' : 'en').format(n); }

function duration(secs) {
  if (secs < 120) return t('seconds', { n: Math.round(secs) });
  if (secs < 7200) return t('minutes', { n: Math.round(secs / 60) });
  return t('hours', { n: (secs / 3600).toFixed(1) });
}

function queueName(q) { return has('queueName_' + q) ? t('queueName_' + q) : q; }

function countryName(code) {
  const c = places.countries.find((x) => x.code === code);
  if (!c) return code;
  return (lang() === 'zh' ? c.name_zh || c.name : c.name) + (lang() === 'zh' ? '（' + code + '）' : ' (' + code + ')');
}

function header() {
  const c = claimsOf(api.token) || {};
  return h('header', { class: 'top' },
    h('span', { class: 'brand' }, t('dashboardTitle')),
    api.token ? expoLabel() : null,
    h('span', { class: 'who' }, c.name || c.sub || ''),
    h('nav', { 'aria-label': t('dashboardTitle') },
      h('a', { href: '/examiner/', class: 'button secondary' }, t('toConsole')),
      h('a', { href: '/examiner/enrolment/', class: 'button secondary', id: 'to-enrolment' }, t('toEnrolment')),
      langButton(render)));
}

// A table of the chart's figures, folded under the chart.
function figuresTable(caption, cols, rows) {
  return h('details', { class: 'figures' }, h('summary', {}, t('showFigures')),
    h('table', { class: 'list' }, h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((x, i) => i === 0 ? h('th', { scope: 'row' }, x) : h('td', { class: 'num' }, x)))))));
}

// Horizontal bars, one row per item: its label, a bar of stacked segments, its total.
function barChart(id, title, items, series, note) {
  const max = Math.max(1, ...items.map((it) => it.values.reduce((a, b) => a + b, 0)));
  const legend = series.length > 1 ? h('ul', { class: 'legend' }, series.map((se) => h('li', {},
    h('span', { class: 'swatch ' + se.cls, 'aria-hidden': 'true' }), se.name))) : null;
  const rows = items.map((it) => {
    let x = 0;
    const total = it.values.reduce((a, b) => a + b, 0);
    const bar = s('svg', { class: 'bar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
      it.values.map((v, i) => {
        const w = (v / max) * 100;
        const r = s('rect', { x, y: 0, width: w, height: 10, class: series[i].cls });
        x += w;
        return r;
      }));
    return h('div', { class: 'bar-row' }, h('span', { class: 'bar-label' }, it.label), bar,
      h('span', { class: 'bar-value' }, it.text || num(total)));
  });
  return h('section', { class: 'card chart', id, 'aria-labelledby': id + '-title' },
    h('h2', { id: id + '-title' }, title),
    note ? h('p', { class: 'help' }, note) : null,
    legend,
    items.length ? h('div', { class: 'bars', role: 'img', 'aria-label': title + colon() +
      items.map((it) => it.label + ' ' + (it.text || num(it.values.reduce((a, b) => a + b, 0)))).join(lang() === 'zh' ? '；' : '; ') }, rows)
      : h('p', {}, t('nothingYet')),
    items.length ? figuresTable(title, [t('item'), ...series.map((se) => se.name)], items.map((it) => [it.label, ...it.values.map(num)])) : null);
}

// Columns per hour: filings filed and decisions made, side by side, over the hours with any.
function hoursChart() {
  const filed = new Map(stats.filedPerHour.map((x) => [x.hour, x.count]));
  const decided = new Map(stats.decidedPerHour.map((x) => [x.hour, x.count]));
  // A continuous run of hours, from the first with anything (at least 8 hours before the last)
  // to the last, at most 48: gaps show as hours with nothing.
  const seen = [...new Set([...filed.keys(), ...decided.keys()])].sort();
  const hours = [];
  if (seen.length) {
    const last = Date.parse(seen[seen.length - 1]);
    const first = Math.max(Math.min(Date.parse(seen[0]), last - 7 * 3600e3), last - 47 * 3600e3);
    const offset = seen[0].slice(19); // the expo's offset, as the server wrote it ("+08:00")
    for (let ms = first; ms <= last; ms += 3600e3) hours.push(stamp(ms, offset));
  }
  const title = t('perHour');
  const card = h('section', { class: 'card chart', id: 'hours', 'aria-labelledby': 'hours-title' },
    h('h2', { id: 'hours-title' }, title),
    h('ul', { class: 'legend' },
      h('li', {}, h('span', { class: 'swatch s-filed', 'aria-hidden': 'true' }), t('filedSeries')),
      h('li', {}, h('span', { class: 'swatch s-decided', 'aria-hidden': 'true' }), t('decidedSeries'))));
  if (!hours.length) {
    card.append(h('p', {}, t('nothingYet')));
    return card;
  }
  const W = 520;
  const H = 240;
  const pad = { l: 40, r: 8, t: 12, b: 42 };
  const max = niceCeil(Math.max(1, ...hours.map((x) => Math.max(filed.get(x) || 0, decided.get(x) || 0))));
  const step = (W - pad.l - pad.r) / hours.length;
  const bw = Math.max(2, Math.min(18, step / 2 - 2));
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const ticks = max % 2 === 0 ? [0, max / 2, max] : [0, max];
  const every = Math.ceil(hours.length / 12); // at most 12 hour labels
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'columns', role: 'img', 'aria-labelledby': 'hours-title hours-desc' },
    s('desc', { id: 'hours-desc' }, hours.map((x) => label(x) + ' ' + t('filedSeries') + ' ' + (filed.get(x) || 0) + ', ' +
      t('decidedSeries') + ' ' + (decided.get(x) || 0)).join('; ')),
    ticks.map((v) => [s('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, num(v))]),
    hours.map((x, i) => {
      const cx = pad.l + step * i + step / 2;
      return [
        s('rect', { x: cx - bw - 1, y: y(filed.get(x) || 0), width: bw, height: y(0) - y(filed.get(x) || 0), class: 's-filed' }),
        s('rect', { x: cx + 1, y: y(decided.get(x) || 0), width: bw, height: y(0) - y(decided.get(x) || 0), class: 's-decided' }),
        i % every === 0 ? s('text', { x: cx, y: H - pad.b + 17, 'text-anchor': 'middle', class: 'axis' }, x.slice(11, 16)) : null,
        i % every === 0 && (i === 0 || x.slice(0, 10) !== hours[i - every].slice(0, 10))
          ? s('text', { x: cx, y: H - pad.b + 34, 'text-anchor': 'middle', class: 'axis' }, x.slice(5, 10)) : null,
      ];
    }));
  card.append(svg, figuresTable(title, [t('hour'), t('filedSeries'), t('decidedSeries')],
    hours.map((x) => [label(x), num(filed.get(x) || 0), num(decided.get(x) || 0)])));
  return card;
}

// niceCeil rounds n up to 1, 2 or 5 times a power of ten.
function niceCeil(n) {
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n);
}

// stamp writes an instant as the server writes the hours: local time with the expo's offset.
function stamp(ms, offset) {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [oh, om] = offset === 'Z' ? [0, 0] : offset.slice(1).split(':').map(Number);
  const local = new Date(ms + sign * (oh * 60 + om) * 60e3);
  return local.toISOString().slice(0, 19) + offset;
}

function label(hour) { return hour.slice(0, 10) + ' ' + hour.slice(11, 16); }

function tiles() {
  const st = stats.states;
  const total = Object.values(st).reduce((a, b) => a + b, 0);
  const tile = (id, name, value, warn) => h('div', { class: 'tile' + (warn ? ' warn' : ''), id: 'tile-' + id },
    h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-name' }, name));
  return h('section', { class: 'tiles', 'aria-label': t('atAGlance') },
    tile('total', t('filingsTotal'), num(total)),
    tile('queued', stateLabel('queued'), num(st.queued || 0)),
    tile('in_review', stateLabel('in_review'), num(st.in_review || 0)),
    tile('decided', t('decidedTotal'), num(stats.decided)),
    tile('median', t('medianToDecision'), stats.decided ? duration(stats.medianSecondsToDecision) : '—'),
    tile('p95', t('p95ToDecision'), stats.decided ? duration(stats.p95SecondsToDecision) : '—'),
    tile('dead', t('deadLetters'), num(stats.deadLetters), stats.deadLetters > 0));
}

// complaintTiles are the complaint desk's figures (SPEC §11): how many, how many wait for an
// answer and how many are overdue, the foreign share, the share confirmed and the median time
// from acceptance to decision.
function complaintTiles() {
  const c = stats.complaints;
  if (!c) return null;
  const by = c.byState || {};
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  const pct = (x) => new Intl.NumberFormat(lang() === 'zh' ? 'zh-CN' : 'en', { style: 'percent', maximumFractionDigits: 0 }).format(x);
  const tile = (id, name, value, warn) => h('div', { class: 'tile' + (warn ? ' warn' : ''), id: 'tile-' + id },
    h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-name' }, name));
  return [h('h2', {}, h('a', { href: '/examiner/complaints/' }, t('complaintsTitle'))),
    h('section', { class: 'tiles', 'aria-label': t('complaintsTitle') },
      tile('complaints', t('complaintsCount'), num(total)),
      tile('to-check', t('deskSection_submitted'), num(by.submitted || 0)),
      tile('awaiting', t('deskSection_accepted'), num((by.accepted || 0) + (by.answer_overdue || 0))),
      tile('overdue', t('cstate_answer_overdue'), num(by.answer_overdue || 0), (by.answer_overdue || 0) > 0),
      tile('foreign', t('foreignShare'), total ? pct(c.foreignShare) : '—'),
      tile('confirmed', t('confirmedShare'), by.decided ? pct(c.confirmedShare) : '—'),
      tile('to-decision', t('medianAcceptedToDecided'), by.decided ? duration(c.medianAcceptedToDecidedSeconds) : '—'))];
}

function render() {
  document.title = t('dashboardTitle');
  document.documentElement.lang = lang();
  const main = h('main', { id: 'main', class: 'console dashboard', tabindex: '-1' });
  app.replaceChildren(header(), main);
  if (!api.token || problem) {
    main.append(setupCard());
    return;
  }
  if (!stats) {
    main.append(h('p', { role: 'status' }, t('loading')));
    return;
  }
  const outcomes = [
    { key: 'accept', cls: 's-accept', name: t('series_accept') },
    { key: 'reject', cls: 's-reject', name: t('series_reject') },
    { key: 'request_correction', cls: 's-correction', name: t('series_request_correction') },
  ];
  const byCount = (o) => Object.entries(o).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const countries = byCount(stats.countries);
  main.append(
    h('p', { class: 'updated', role: 'status' }, t('updatedAt', { time: stats.generatedAt.slice(11, 19), n: REFRESH_SECONDS })),
    tiles(),
    ...(complaintTiles() || []),
    h('div', { class: 'charts' },
      barChart('queue-ages', t('queueAges'), stats.queues.map((q) => ({
        label: queueName(q.name), values: [q.oldestAgeSeconds || 0],
        text: t('queueAgeText', { depth: num(q.depth), age: q.depth ? duration(q.oldestAgeSeconds) : '—' }),
      })), [{ cls: 's-age', name: t('oldestWaiting') }], t('queueAgesHelp')),
      hoursChart(),
      barChart('examiners', t('perExaminer'), stats.examiners.map((e) => ({
        label: people[e.examiner] || e.examiner, values: outcomes.map((o) => e.decisions[o.key] || 0),
      })), outcomes),
      barChart('kinds', t('byKind'), byCount(stats.kinds).map(([k, n]) => ({ label: t('type_' + k), values: [n] })),
        [{ cls: 's-filed', name: t('filingsTotal') }]),
      barChart('countries', t('byCountry'), countries.slice(0, 12).map(([c, n]) => ({ label: countryName(c), values: [n] })),
        [{ cls: 's-filed', name: t('filingsTotal') }], countries.length > 12 ? t('topCountries', { n: 12, of: countries.length }) : null)),
    outboxCard());
}

// stampOf is an instant in the expo's time zone: "2026-06-23 10:00:02".
// mailServer tells whether the expo sends mail (notifications.smtp; its password is never shown).
function mailServer() { return !!(expo.info && expo.info.notifications && expo.info.notifications.smtp); }

function stampOf(iso) { return iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: (expo.info && expo.info.timeZone) || undefined }) : ''; }

// outboxCard is the notification outbox: every message to a filing's contact, by state
// (waiting, sent, not delivered), with the reason a message waits or failed; "Send again"
// sends the same message (same Message-ID) once more.
function outboxCard() {
  const pick = (st) => h('button', {
    // The chosen state is the filled button.
    type: 'button', class: outbox.state === st ? 'small' : 'secondary small', 'aria-pressed': String(outbox.state === st), 'data-state': st,
    onclick: async () => { outbox.state = st; outboxNote = ''; await loadOutbox(); render(); },
  }, t('noticeState_' + st));
  const resend = async (n, btn) => {
    btn.disabled = true;
    const r = await api.call('POST', '/v1/notifications/' + encodeURIComponent(n.id) + '/resend');
    outboxNote = r.status === 202 ? (n.filingNumber || n.complaintNumber) + colon() + t('resendQueued') : String(r.status);
    await loadOutbox();
    render();
  };
  return h('section', { class: 'card', id: 'outbox', 'aria-labelledby': 'outbox-title' },
    h('h2', { id: 'outbox-title' }, t('outboxTitle')),
    h('p', {}, t('outboxHelp')),
    h('div', { role: 'group', 'aria-label': t('outboxStatus') }, ['pending', 'sent', 'failed'].map(pick)),
    outboxNote ? h('p', { role: 'status' }, outboxNote) : null,
    outbox.items.length ? h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, [t('outboxFiling'), t('outboxMessage'), t('outboxTo'), t('outboxWhen'), t('outboxStatus'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, outbox.items.map((n) => h('tr', { 'data-id': n.id },
        h('td', {}, n.filingNumber || n.complaintNumber),
        h('td', {}, t('notice_' + n.event)),
        h('td', {}, n.to),
        h('td', {}, n.state === 'sent' ? stampOf(n.sentAt) : n.state === 'pending' ? stampOf(n.nextAttemptAt) : stampOf(n.updatedAt)),
        h('td', {}, [n.attempts === 1 ? t('noticeAttempt') : n.attempts ? t('noticeAttempts', { n: n.attempts }) : '',
          n.state === 'pending' && !n.attempts && !mailServer() ? t('noMailServer') : '', n.bounced ? t('noticeBounced') : '', n.state !== 'sent' ? n.lastError || '' : ''].filter((x) => x).join(' · ')),
        h('td', {}, h('button', { type: 'button', class: 'secondary small', 'aria-label': t('resendMail') + ' — ' + (n.filingNumber || n.complaintNumber) + ' ' + t('notice_' + n.event),
          onclick: (e) => resend(n, e.currentTarget) }, t('resendMail'))))))) :
      h('p', {}, t('outboxEmpty')));
}

async function loadOutbox() {
  try {
    const r = await api.call('GET', '/v1/notifications?state=' + outbox.state + '&limit=100');
    if (r.status === 200) outbox = { state: outbox.state, items: r.data.items, nextCursor: r.data.nextCursor };
  } catch (_) { /* offline: keep the last list */ }
}

function setupCard() {
  const ta = h('textarea', { id: 'token', rows: 4, spellcheck: 'false', 'aria-describedby': 'token-err' });
  const err = h('div', { class: 'field-error', id: 'token-err', role: 'alert' }, problem ? h('p', {}, problem) : null);
  return h('section', { class: 'card' }, h('h1', {}, t('dashboardTitle')), h('p', {}, t('dashboardHelp')),
    h('div', { class: 'field' }, h('label', { for: 'token' }, t('supervisorToken')), ta, err),
    h('button', {
      type: 'button', class: 'primary', onclick: () => {
        const c = claimsOf(ta.value.trim());
        if (!c || c.role !== 'supervisor') {
          err.replaceChildren(h('p', {}, c ? t('tokenNotSupervisor') : t('tokenInvalid')));
          return;
        }
        api.setToken(ta.value.trim());
        problem = '';
        start();
      },
    }, t('save')));
}

async function refresh() {
  try {
    const [r, , st] = await Promise.all([api.call('GET', '/v1/stats'), loadOutbox(), api.call('GET', '/v1/staff')]);
    // Enrolled examiners decide under their id (stf_…): the chart names them.
    if (st.status === 200) people = Object.fromEntries(st.data.items.map((p) => [p.id, p.name]));
    if (r.status === 200) {
      stats = r.data;
      problem = '';
    } else if (r.status === 403) {
      problem = t('tokenNotSupervisor');
    }
  } catch (_) { /* offline: keep the last figures */ }
  const focused = document.activeElement && document.activeElement.closest('details') ? document.activeElement.closest('section').id : '';
  const open = [...document.querySelectorAll('details[open]')].map((d) => d.closest('section').id);
  render();
  // A refresh keeps the tables the supervisor opened.
  for (const id of open) {
    const d = document.querySelector('#' + id + ' details');
    if (d) d.open = true;
  }
  if (focused) { const sm = document.querySelector('#' + focused + ' summary'); if (sm) sm.focus(); }
}

api.onUnauthorized = (code) => { api.setToken(''); problem = t(unauthorizedKey(code)); render(); };

let timer = null;
async function start() {
  render();
  const [, found] = await Promise.all([loadExpo(api.token), loadReference('countries', api.token)]);
  if (found && found.countries) places = found;
  await refresh();
  if (!timer) timer = setInterval(refresh, REFRESH_SECONDS * 1000);
}

if (api.token) start(); else render();
