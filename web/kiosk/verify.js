// The public verify page of an exhibition display certificate (/verify/{id}, SPEC §12): what the
// certificate's QR code opens on any phone. With the signed certificate after "#" (the QR code's
// text) it has the server verify exactly that (POST /v1/certificates/verify); without it, it
// reads the certificate by id (GET /v1/certificates/{id}). It says plainly whether it is valid,
// revoked or not valid, and what the certificate states.
import { t, initLang, lang, addStrings } from './i18n.js';
import { h, langButton } from './common.js';

addStrings({
  verifyTitle: ['Certificate of first display at an exhibition', '展会首次展出证明'],
  verifyValid: ['Valid: signed by the organiser, not revoked', '有效：经主办方签名，未被撤销'],
  verifyRevoked: ['Revoked by the organiser', '已被主办方撤销'],
  verifyInvalid: ['Not valid: the signature does not hold', '无效：签名校验未通过'],
  verifyUnknown: ['No certificate of this deployment has this number.', '本系统中没有此证明。'],
  verifyOffline: ['The certificate could not be checked: no network.', '无法校验：网络不可用。'],
  verifyNumber: ['Certificate number', '证明编号'],
  verifyExhibition: ['Exhibition', '展会'],
  verifyDates: ['Dates', '展期'],
  verifyCity: ['City', '举办城市'],
  verifyExhibitor: ['Exhibitor', '参展商'],
  verifyBooth: ['Booth', '展位'],
  verifyExhibit: ['Exhibit', '展品'],
  verifyFirstDisplay: ['First displayed on', '首次展出日期'],
  verifyPhotos: ['Photos (SHA-256)', '照片（SHA-256）'],
  verifyIssued: ['Issued', '签发时间'],
  verifyIssuer: ['Issued by', '签发人'],
  verifyKey: ['Signing key', '签名密钥'],
  verifyBasis: ['Legal basis', '法律依据'],
  verifyReason: ['Why', '原因'],
  verifyNote: ['Checked by the organiser\'s server against its published keys ({keys}). The signed data in the QR code can also be checked offline with those keys.',
    '由主办方服务器依据其公布的密钥（{keys}）校验。二维码中的签名数据也可使用这些密钥离线校验。'],
});

initLang();
const app = document.getElementById('app');
const id = decodeURIComponent(location.pathname.split('/').filter((x) => x)[1] || '');
let verdict = null; // the answer, or 'missing', or 'offline'

function row(label, value, attrs) {
  return value ? [h('dt', {}, label), h('dd', attrs || {}, value)] : [];
}

// when reads an RFC 3339 instant as written, in its own zone: "2026-06-23 10:00 (UTC+08:00)".
function when(s) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):\d{2}(.*)$/.exec(s || '');
  return m ? m[1] + ' ' + m[2] + (lang() === 'zh' ? '（UTC' : ' (UTC') + (m[3] === 'Z' ? '' : m[3]) + (lang() === 'zh' ? '）' : ')') : s || '';
}

// withKeysLink puts a link to the public keys where {keys} stands (an address: no language).
function withKeysLink(text) {
  const [before, after] = text.split('{keys}');
  return [before, h('a', { href: '/v1/keys', lang: 'en' }, h('code', {}, '/v1/keys')), after];
}

function render() {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  document.title = t('verifyTitle');
  const head = h('header', { class: 'top' }, h('span', { class: 'brand' }, 'ipfast'),
    h('nav', { 'aria-label': t('verifyTitle') }, langButton(render)));
  let body;
  if (verdict === null) {
    body = h('p', {}, '…');
  } else if (verdict === 'missing' || verdict === 'offline') {
    body = h('section', { class: 'card' }, h('h1', {}, t('verifyTitle')),
      h('p', { role: 'alert', class: 'verdict verdict-invalid' }, t(verdict === 'missing' ? 'verifyUnknown' : 'verifyOffline')));
  } else {
    const v = verdict;
    const c = v.certificate || {};
    const p = c.payload || {};
    const x = p.exhibition || {};
    const state = v.valid ? 'valid' : v.revoked ? 'revoked' : 'invalid';
    const name = lang() === 'zh' && x.nameZh ? x.nameZh : x.name;
    body = h('section', { class: 'card', 'aria-labelledby': 'verify-title' },
      h('h1', { id: 'verify-title' }, t('verifyTitle')),
      h('p', { class: 'verdict verdict-' + state, id: 'verdict', role: 'status' },
        h('span', { 'aria-hidden': 'true' }, state === 'valid' ? '✓ ' : '✗ '), t(state === 'valid' ? 'verifyValid' : state === 'revoked' ? 'verifyRevoked' : 'verifyInvalid')),
      h('dl', { class: 'status' },
        ...row(t('verifyNumber'), p.certificateNumber || c.certificateNumber),
        ...row(t('verifyExhibition'), name, { lang: lang() === 'zh' && x.nameZh ? 'zh-CN' : 'en' }),
        ...row(t('verifyCity'), x.city),
        ...row(t('verifyDates'), x.startDate ? x.startDate + ' – ' + x.endDate : ''),
        ...row(t('verifyExhibitor'), p.exhibitor ? [p.exhibitor.name, p.exhibitor.id].filter((s) => s).join(' · ') : ''),
        ...row(t('verifyBooth'), p.booth),
        ...row(t('verifyExhibit'), p.exhibit),
        ...row(t('verifyFirstDisplay'), p.firstDisplayDate),
        ...row(t('verifyPhotos'), (p.photos || []).length ? h('ul', { class: 'hashes' }, p.photos.map((s) => h('li', {}, h('code', {}, s)))) : ''),
        ...row(t('verifyIssued'), when(p.issuedAt)),
        ...row(t('verifyIssuer'), p.issuer),
        ...row(t('verifyKey'), c.kid ? h('code', {}, c.kid) : ''),
        ...row(t('verifyBasis'), x.legalBasis),
        ...row(t('verifyReason'), v.valid ? '' : v.reason)),
      h('p', { class: 'help' }, ...withKeysLink(t('verifyNote'))));
  }
  app.replaceChildren(head, h('main', { id: 'main' }, body));
}

async function load() {
  render();
  try {
    let res;
    if (location.hash.length > 1) {
      res = await fetch('/v1/certificates/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ qr: location.href }) });
    } else {
      res = await fetch('/v1/certificates/' + encodeURIComponent(id));
    }
    if (!res.ok) verdict = 'missing';
    else {
      const data = await res.json();
      // GET answers the certificate with "valid"; POST answers {valid, revoked, certificate}.
      verdict = data.certificate ? data : { valid: data.valid, revoked: data.revoked, reason: data.reason, certificate: data };
      if (!data.certificate && !data.id) verdict = { valid: false, revoked: false, reason: data.reason, certificate: {} };
    }
  } catch (_) {
    verdict = 'offline';
  }
  render();
}

load();
