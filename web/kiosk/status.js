// The public status page of a filing (/status/{token}, SPEC §5): what the receipt's QR code
// opens on any phone, without a token. It shows the filing number, type, subject, filing date,
// state and last change, from GET /v1/status/{token}; nothing personal.
import { t, initLang, lang } from './i18n.js';
import { h, langButton, stateLabel } from './common.js';

initLang();
const app = document.getElementById('app');
const token = decodeURIComponent(location.pathname.split('/').filter((x) => x)[1] || '');
let status = null; // the answer, or 'missing', or 'offline'

// when reads an expo-local RFC 3339 instant as the expo's wall clock: "2026-06-23 10:05".
function when(s) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(s || '');
  return m ? m[1] + ' ' + m[2] : s || '';
}

function row(label, value) {
  return value ? [h('dt', {}, label), h('dd', {}, value)] : [];
}

function render() {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  document.title = t('statusTitle');
  const head = h('header', { class: 'top' }, h('span', { class: 'brand' }, 'ipfast'),
    h('nav', { 'aria-label': t('statusTitle') }, langButton(render)));
  let body;
  if (status === null) {
    body = h('p', {}, '…');
  } else if (status === 'missing' || status === 'offline') {
    body = h('section', { class: 'card' }, h('h1', {}, t('statusTitle')),
      h('p', { role: 'alert' }, t(status === 'missing' ? 'statusUnknown' : 'statusOffline')));
  } else {
    const s = status;
    const type = s.kind === 'trademark' ? 'trademark' : s.patentType || 'invention';
    const expoName = lang() === 'zh' && s.expoNameZh ? s.expoNameZh : s.expoName;
    body = h('section', { class: 'card', 'aria-labelledby': 'status-title' },
      h('h1', { id: 'status-title' }, t('statusTitle')),
      h('p', { class: 'status-state' }, h('span', { class: 'state state-' + s.state }, stateLabel(s.state))),
      h('dl', { class: 'status' },
        ...row(t('filingNumber'), s.filingNumber),
        ...row(t('statusType'), t('type_' + type)),
        ...row(s.kind === 'trademark' ? t('statusMark') : t('statusTitleOfInvention'), s.markText || s.title),
        ...row(t('filingDate'), s.filingDate),
        ...row(t('statusLastChange'), when(s.lastChange)),
        ...row(t('statusExpo'), expoName)),
      h('p', { class: 'help' }, t('statusNote')));
  }
  app.replaceChildren(head, h('main', { id: 'main' }, body));
}

async function load() {
  render();
  try {
    const res = await fetch('/v1/status/' + encodeURIComponent(token));
    status = res.ok ? await res.json() : 'missing';
  } catch (_) {
    status = 'offline';
  }
  render();
}

load();
