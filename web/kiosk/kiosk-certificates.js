// The kiosk's exhibition display certificates (SPEC §12), loaded when the screen opens: the
// booth's certificates with their QR code, PDF and verify page, and how to use them in a
// filing. k is what the kiosk lends: its API client, screen, focusHeading and setCerts (the
// wizard's list of certificates, refreshed here).
import { t, addStrings, lang } from './i18n.js';
import { h } from './common.js';

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
    }));
  focusHeading();
}
