// The kiosk's exhibition display certificates (SPEC §12), loaded when the screen opens: the
// booth's certificates with their QR code, PDF and verify page, and how to use them in a
// filing. k is what the kiosk lends: its API client, screen, focusHeading and setCerts (the
// wizard's list of certificates, refreshed here).
import { t, addStrings, lang, msg } from './i18n.js';
import { h, claimsOf, expo } from './common.js';
import { uploadOne, filePicker } from './complaints.js';
import './complaint-strings.js';

addStrings({
  certificatesHelp: ['An IP officer who sees an exhibit at this booth issues its certificate of first display, signed by the organiser. Choose it in a filing\'s exhibition claim: it is the evidence the office asks for (patents within 2 months of filing, trademarks within 3). Anyone can check it with the QR code.',
    '知识产权工作人员在本展位看到展品后，即可签发由主办方签名的首次展出证明。提交申请时在展会声明中选择该证明，即为主管部门要求的展出证明文件（专利自申请日起2个月内、商标3个月内提交）。任何人都可扫描二维码核验。'],
  noCertificates: ['No certificate yet. Ask an IP officer to come to your booth.', '暂无证明。请联系知识产权工作人员到本展位。'],
  certificateNumber: ['Certificate number', '证明编号'],
  certExhibit: ['Exhibit', '展品'],
  certFirstShown: ['First shown', '首次展出'],
  certIssued: ['Issued', '签发时间'],
  certValid: ['Valid', '有效'],
  certRevoked: ['Revoked by the organiser', '已由主办方撤销'],
  downloadPdf: ['Download the PDF', '下载PDF'],
  verifyPage: ['Verify page', '核验页面'],
  qrOf: ['QR code of certificate {n}', '证明{n}的二维码'],
  askTitle: ['Ask for a certificate', '申请展出证明'],
  askHelp: ['Describe the exhibit as it stands on your booth and the day it was first shown. An IP officer comes to the booth, confirms it and issues the certificate. Photos help the officer find it.',
    '请描述展位上的展品及其首次展出日期。知识产权工作人员将到展位核实并签发证明。附上照片便于工作人员找到展品。'],
  askExhibit: ['The exhibit', '展品'],
  askDate: ['First shown on', '首次展出日期'],
  askSend: ['Ask for the certificate', '提交申请'],
  askSent: ['Asked. An IP officer will come to your booth.', '已提交，知识产权工作人员将到您的展位。'],
  waitingTitle: ['Waiting for an IP officer', '等待工作人员核实'],
  photosCount: ['photos: {n}', '照片{n}张'],
  useInFiling: ['To use it: start a filing and, at "Priority and exhibition", choose it as the certificate.', '使用方法：开始新申请，在"优先权和展会"一步中选择该证明。'],
});

export async function certificatesScreen(k) {
  const { api, screen, focusHeading } = k;
  let items;
  try {
    const r = await api.call('GET', '/v1/certificates');
    if (r.status !== 200) throw new Error((r.data && r.data.detail) || 'HTTP ' + r.status);
    items = r.data.items || [];
    k.setCerts(items);
  } catch (_) {
    screen(h('h1', {}, t('myCertificates')), h('p', { class: 'error-text' }, t('offline')));
    return;
  }
  let waiting = [];
  try {
    const r = await api.call('GET', '/v1/exhibits?state=declared');
    if (r.status === 200) waiting = r.data.items || [];
  } catch (_) { /* offline: the certificates show without what waits */ }
  const zh = lang() === 'zh';
  const when = (stamp) => String(stamp || '').replace('T', ' ').slice(0, 16);
  screen(h('h1', {}, t('myCertificates')),
    h('p', { class: 'help' }, t('certificatesHelp')),
    items.length ? h('p', {}, t('useInFiling')) : h('p', { class: 'strong' }, t('noCertificates')),
    // Newest first: the one just issued at the booth is on top.
    items.slice().reverse().map((c) => {
      const p = c.payload;
      return h('section', { class: 'card certificate', 'data-id': c.id },
        h('div', { class: 'cert-body' },
          h('h2', {}, t('certificateNumber')), h('p', { class: 'big-number' }, c.certificateNumber),
          h('p', { class: c.revoked ? 'error-text strong' : 'strong cert-valid' }, c.revoked ? '✕ ' + t('certRevoked') + (c.revokedReason ? ' — ' + c.revokedReason : '') : '✓ ' + t('certValid')),
          h('dl', { class: 'status' },
            h('dt', {}, t('certExhibit')), h('dd', {}, p.exhibit),
            h('dt', {}, t('booth')), h('dd', {}, p.booth),
            h('dt', {}, t('certFirstShown')), h('dd', {}, p.firstDisplayDate + ' · ' + (zh && p.exhibition.nameZh ? p.exhibition.nameZh : p.exhibition.name)),
            h('dt', {}, t('certIssued')), h('dd', {}, when(p.issuedAt))),
          h('div', { class: 'nav-buttons' },
            h('a', { href: c.pdf, class: 'button primary', download: c.certificateNumber + '.pdf' }, t('downloadPdf')),
            h('a', { href: '/verify/' + c.id, class: 'button secondary', target: '_blank', rel: 'noopener' }, t('verifyPage')))),
        h('img', { src: c.qrCode, class: 'cert-qr', width: 220, height: 220, alt: t('qrOf', { n: c.certificateNumber }) }));
    }),
    waiting.length ? h('section', { class: 'card', id: 'waiting' }, h('h2', {}, t('waitingTitle')),
      h('ul', {}, waiting.map((e) => h('li', { 'data-id': e.id }, e.exhibit + ' · ' + t('certFirstShown') + ' ' + e.firstDisplayDate +
        (e.photos && e.photos.length ? ' · ' + t('photosCount', { n: e.photos.length }) : ''))))) : null,
    askForm(k));
  focusHeading();
}

// askForm declares an exhibit of this booth (POST /v1/exhibits as the kiosk): it waits as
// "declared" until an officer at the booth confirms it and issues its certificate.
function askForm(k) {
  const c = claimsOf(k.api.token) || {};
  const photos = [];
  const names = {};
  const box = h('div', { class: 'progress-list', 'aria-live': 'polite' });
  const list = h('ul', { class: 'files' });
  const status = h('div', { id: 'ask-status', 'aria-live': 'polite' });
  const paint = () => list.replaceChildren(...photos.map((id) => h('li', {}, '✓ ' + names[id].name)));
  const x = expo.info || {};
  const today = x.filingDate && x.filingDate >= x.startDate && x.filingDate <= x.endDate ? x.filingDate : x.startDate || '';
  const send = async () => {
    const v = (id) => document.getElementById(id).value.trim();
    status.replaceChildren(h('p', {}, t('submitting')));
    let r;
    try {
      r = await k.api.call('POST', '/v1/exhibits', { exhibitor: c.exhibitor, booth: c.booth, exhibit: v('ask-exhibit'), firstDisplayDate: v('ask-date'), photos });
    } catch (_) {
      status.replaceChildren(h('p', { class: 'error-text', role: 'alert' }, t('offline')));
      return;
    }
    if (r.status !== 201) {
      status.replaceChildren(h('div', { class: 'step-problems', role: 'alert' }, ((r.data && r.data.errors) || [{ message: 'HTTP ' + r.status }]).map((p) => h('p', {}, msg(p)))));
      return;
    }
    await certificatesScreen(k);
    const done = document.getElementById('ask-status');
    if (done) done.replaceChildren(h('p', { class: 'strong cert-valid' }, '✓ ' + t('askSent')));
  };
  return h('section', { class: 'card', id: 'ask' }, h('h2', {}, t('askTitle')), h('p', { class: 'help' }, t('askHelp')),
    h('div', { class: 'field' }, h('label', { for: 'ask-exhibit' }, t('askExhibit')), h('input', { id: 'ask-exhibit', maxlength: 500, autocomplete: 'off' })),
    h('div', { class: 'field' }, h('label', { for: 'ask-date' }, t('askDate')), h('input', { id: 'ask-date', type: 'date', value: today, min: x.startDate, max: x.endDate })),
    h('fieldset', { class: 'group' }, h('legend', {}, t('exhibitPhotos')), list, box,
      filePicker('exhibit_photo', (files) => files.forEach((file) => uploadOne(k.api, 'exhibit_photo', file, box, (u) => {
        names[u.id] = u;
        photos.push(u.id);
        paint();
      })), { camera: true })),
    h('button', { type: 'button', class: 'primary', id: 'ask-send', onclick: send }, t('askSend')),
    status);
}
