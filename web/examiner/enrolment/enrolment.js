// The organiser's enrolment screen (SPEC §18): the exhibitor directory (officers read it, a
// supervisor adds and corrects entries), the booths' kiosks with when each was last seen, and
// the staff; a supervisor enrols a kiosk or a person and gets a one-time set-up code, shown here
// once as a QR code (what the booth's tablet scans) and printable per hall as a sheet of cards;
// revoking asks for confirmation and cuts the kiosk or person off at once.
import { t, initLang, lang, msg, addStrings, both } from '/i18n.js';
import '/complaint-strings.js';
import { h, claimsOf, Client, expo, expoLabel, loadExpo, langButton, colon } from '/common.js';
import { unauthorizedKey, codeField } from '/examiner/staff.js';
import qrcode from '/examiner/vendor/qrcode.js';

addStrings({
  enrTabExhibitors: ['Exhibitors', '展商名录'],
  enrTabKiosks: ['Kiosks', '展位终端'],
  enrTabStaff: ['Staff', '工作人员'],
  enrExhibitorsHelp: ['The expo\'s exhibitors, from the configuration and added here. The complaint desk (who stands at a booth) and the display certificates read this directory.',
    '本届展会的展商：来自配置文件或在此登记。投诉处理（展位上的展商）和展出证明均依据本名录。'],
  enrReadOnly: ['Officers read the directory; a supervisor changes it.', '投诉处理人员可查看名录，由主管修改。'],
  enrId: ['ID', '编号'],
  enrName: ['Name', '名称'],
  enrNameZh: ['Name in Chinese', '中文名称'],
  enrBooth: ['Booth', '展位'],
  enrBoothLower: ['booth', '展位'],
  enrCountry: ['Country or region', '国家或地区'],
  enrCountryHelp: ['Two letters, e.g. CN, DE', '两位字母代码，如 CN、DE'],
  enrContact: ['Contact', '联系人'],
  enrContactName: ['Contact person', '联系人姓名'],
  enrEmail: ['Email', '电子邮箱'],
  enrPhone: ['Phone', '电话'],
  enrSource: ['From', '来源'],
  enrSource_config: ['configuration', '配置文件'],
  enrSource_directory: ['added here', '本页登记'],
  enrEdit: ['Edit', '修改'],
  enrExhibitorForm: ['Add or correct an exhibitor', '新增或修改展商'],
  enrExhibitorFormHelp: ['An entry saved here replaces the configuration\'s entry of the same ID.', '在此保存的条目将取代配置文件中同一编号的条目。'],
  enrSaveExhibitor: ['Save exhibitor', '保存展商'],
  enrSaved: ['Saved {id}.', '已保存 {id}。'],
  enrNone: ['None yet.', '暂无。'],
  enrEnrolKiosk: ['Enrol a booth\'s kiosk', '登记展位终端'],
  enrEnrolKioskHelp: ['You get a set-up code, shown once: scan its QR code with the booth\'s tablet now, or print it and hand it out.',
    '登记后生成一次性设置码，仅显示一次：请立即用展位平板扫描二维码，或打印后分发。'],
  enrExhibitor: ['Exhibitor (ID)', '展商（编号）'],
  enrLabel: ['Tablet label (optional)', '平板标签（选填）'],
  enrLabelHelp: ['Which tablet, if the booth has several: "counter"', '展位有多台平板时用于区分，如"前台"'],
  enrEnrolAndShow: ['Enrol and show the set-up code', '登记并显示设置码'],
  enrSetupFor: ['Set-up code for {who}', '{who}的设置码'],
  enrScan: ['Scan with the tablet\'s camera, or open the link on it. The code works once.', '用平板相机扫描，或在平板上打开链接。设置码仅可使用一次。'],
  enrLink: ['Set-up link', '设置链接'],
  enrCode: ['Code', '设置码'],
  enrValidUntil: ['Valid until', '有效期至'],
  enrPrintShown: ['Print the codes shown ({n})', '打印已显示的设置码（{n}个）'],
  enrHallSheet: ['Set-up sheet for a hall', '按展馆打印设置码'],
  enrHallHelp: ['Enrols a kiosk for every booth of the hall (the part of the booth before "-") that has none yet, and prints one card per booth to hand out.',
    '为该展馆（展位号"-"之前的部分）尚无终端的每个展位登记终端，并打印每个展位一张卡片。'],
  enrHall: ['Hall', '展馆'],
  enrEnrolHall: ['Enrol and print hall {hall}', '登记并打印{hall}馆'],
  enrHallDone: ['Every booth of hall {hall} has a kiosk.', '{hall}馆的每个展位均已有终端。'],
  enrKiosks: ['Kiosks', '展位终端'],
  enrLabelCol: ['Label', '标签'],
  enrEnrolled: ['Enrolled', '登记时间'],
  enrLastSeen: ['Last seen', '最近使用'],
  enrNever: ['not yet', '尚未使用'],
  enrStatus: ['Status', '状态'],
  enrActive: ['active', '使用中'],
  enrRevokedAt: ['revoked {at}', '已于{at}停用'],
  enrRevoke: ['Revoke', '停用'],
  enrCancel: ['Cancel', '取消'],
  enrConfirmKiosk: ['Revoke the kiosk at booth {booth}{label}?', '确定停用展位 {booth}{label} 的终端吗？'],
  enrConfirmKioskHelp: ['Its tablet stops working at once and clears its drafts; it can only be used again after being set up with a new code.',
    '该平板将立即停止工作并清除草稿；只有使用新的设置码重新设置后才能继续使用。'],
  enrConfirmStaff: ['Revoke {name} ({role})?', '确定撤销 {name}（{role}）的权限吗？'],
  enrConfirmStaffHelp: ['Their access stops at once on every device; they need a new set-up link to work again.', '其在所有设备上的访问将立即停止；需领取新的设置链接才能继续工作。'],
  enrRevokedDone: ['Revoked: {who}.', '已停用：{who}。'],
  enrEnrolStaff: ['Enrol a member of staff', '登记工作人员'],
  enrEnrolStaffHelp: ['They get a set-up link for the console, shown once: send it to them or let them scan the QR code.', '登记后生成控制台设置链接，仅显示一次：请发送给本人或让其扫描二维码。'],
  enrPerson: ['Name', '姓名'],
  enrRole: ['Role', '角色'],
  enrRole_examiner: ['Examiner', '审查员'],
  enrRole_officer: ['Complaint officer', '投诉处理人员'],
  enrRole_supervisor: ['Supervisor', '主管'],
  enrStaff: ['Staff', '工作人员'],
  enrSheetTitle: ['{expo} — kiosk set-up codes, hall {hall}', '{expo} — 展位终端设置码（{hall}馆）'],
  enrSheetIntro: ['On the booth\'s tablet, scan the QR code or open the link to set up the kiosk. Each code works once, until the time shown.',
    '请用展位平板扫描二维码或打开链接完成终端设置。每个设置码仅可使用一次，有效期见卡片。'],
  enrNotAllowed: ['This screen is for supervisors and complaint officers.', '本页面仅供主管和投诉处理人员使用。'],
});

initLang();
const api = new Client('examinerToken');
const app = document.getElementById('app');

let tab = 'exhibitors';
let dir = [];
let kiosks = [];
let staff = [];
let issued = []; // the set-up codes enrolled on this screen: shown once, kept only in memory
let note = null; // {text, cls}
let editing = null; // the exhibitor entry in the form

const role = () => (claimsOf(api.token) || {}).role;
const isSup = () => role() === 'supervisor';

function header() {
  const c = claimsOf(api.token) || {};
  return h('header', { class: 'top' },
    h('span', { class: 'brand' }, t('enrolmentTitle')),
    api.token ? expoLabel() : null,
    h('span', { class: 'who' }, c.name || c.sub || ''),
    h('nav', { 'aria-label': t('enrolmentTitle') },
      isSup() ? h('a', { href: '/examiner/', class: 'button secondary' }, t('toConsole')) : null,
      isSup() ? h('a', { href: '/examiner/dashboard/', class: 'button secondary' }, t('toDashboard')) : null,
      api.token ? h('a', { href: '/examiner/complaints/', class: 'button secondary' }, t('complaintDesk')) : null,
      langButton(render)));
}

function screen(...children) {
  app.replaceChildren(header(), h('main', { id: 'main', class: 'console enrolment', tabindex: '-1' }, ...children));
}

// when shows an instant in the expo's time zone, to the minute.
function when(s) {
  if (!s) return '';
  const d = new Date(s);
  if (isNaN(d)) return s;
  return new Intl.DateTimeFormat(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: (expo.info && expo.info.timeZone) || undefined, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(d);
}

function hallOf(booth) { return booth.includes('-') ? booth.split('-')[0] : booth.replace(/\d+$/, ''); }

function exhibitorName(e) { return lang() === 'zh' && e.nameZh ? e.nameZh : e.name; }

// qr draws text as a QR code (SVG, built as elements: no markup from strings).
function qr(text, title) {
  const q = qrcode(0, 'M');
  q.addData(text);
  q.make();
  const n = q.getModuleCount();
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '-4 -4 ' + (n + 8) + ' ' + (n + 8));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(NS, 'rect');
  for (const [k, v] of Object.entries({ x: -4, y: -4, width: n + 8, height: n + 8, fill: '#fff' })) bg.setAttribute(k, v);
  let d = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (q.isDark(r, c)) d += 'M' + c + ' ' + r + 'h1v1h-1z';
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return h('div', { class: 'qr' }, svg);
}

// absolute is a set-up link as the tablet opens it.
function absolute(u) { return new URL(u, location.origin).href; }

function whoOf(s) {
  return s.kind === 'kiosk' ? t('enrBoothLower') + ' ' + s.booth + (s.label ? ' · ' + s.label : '') : s.name + ' · ' + t('enrRole_' + s.role);
}

function setupCard(s) {
  const link = absolute(s.setupUrl);
  return h('section', { class: 'card setup-card', id: 'setup-' + s.id, 'aria-labelledby': 'setup-title-' + s.id },
    qr(link, t('enrLink')),
    h('div', { class: 'what' },
      h('h2', { id: 'setup-title-' + s.id }, t('enrSetupFor', { who: whoOf(s) })),
      h('p', { class: 'help' }, t('enrScan')),
      h('dl', {},
        h('dt', {}, t('enrLink')), h('dd', {}, h('a', { href: link, class: 'setup-link', target: '_blank', rel: 'noopener' }, link)),
        h('dt', {}, t('enrCode')), h('dd', {}, h('code', { class: 'setup-code', lang: 'zxx' }, s.setupCode)),
        h('dt', {}, t('enrValidUntil')), h('dd', {}, when(s.setupExpiresAt)))));
}

function problemsOf(r) {
  const d = r.data || {};
  return (d.errors || []).map((p) => p.field + colon() + msg(p)).join('; ') || d.detail || d.title || 'HTTP ' + r.status;
}

function status() { return note ? h('p', { class: note.cls || '', role: 'status', id: 'enr-status' }, note.text) : null; }

function tabs() {
  const b = (id, label) => h('button', { type: 'button', class: tab === id ? 'primary' : 'secondary', id: 'tab-' + id, 'aria-pressed': String(tab === id),
    onclick: async () => { await load(); tab = id; note = null; render(); document.getElementById('tab-' + id).focus(); } }, label);
  return h('nav', { class: 'tabs', 'aria-label': t('enrolmentTitle') },
    b('exhibitors', t('enrTabExhibitors')), isSup() ? b('kiosks', t('enrTabKiosks')) : null, isSup() ? b('staff', t('enrTabStaff')) : null);
}

// ---- exhibitors ----

function exhibitorsTab() {
  const rows = dir.map((e) => h('tr', { 'data-exhibitor': e.id },
    h('td', { class: 'nowrap' }, e.id), h('td', {}, e.name), h('td', { lang: 'zh' }, e.nameZh || ''), h('td', { class: 'nowrap' }, e.booth), h('td', {}, e.country || ''),
    h('td', {}, e.contact ? [e.contact.name, e.contact.email, e.contact.phone].filter(Boolean).join(' · ') : ''),
    h('td', { class: 'nowrap' }, t('enrSource_' + e.source)),
    isSup() ? h('td', { class: 'actions' }, h('button', { type: 'button', class: 'secondary small', 'aria-label': t('enrEdit') + ' ' + e.id,
      onclick: () => { editing = e; render(); document.getElementById('x-name').focus(); } }, t('enrEdit'))) : null));
  return [
    h('section', { class: 'card', 'aria-labelledby': 'dir-title' },
      h('h1', { id: 'dir-title' }, t('enrTabExhibitors')),
      h('p', { class: 'help' }, t('enrExhibitorsHelp')),
      isSup() ? null : h('p', { class: 'help' }, t('enrReadOnly')),
      h('div', { class: 'table-scroll' }, h('table', { id: 'exhibitors' },
        h('thead', {}, h('tr', {}, [t('enrId'), t('enrName'), t('enrNameZh'), t('enrBooth'), t('enrCountry'), t('enrContact'), t('enrSource'), isSup() ? '' : null]
          .filter((x) => x !== null).map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 8 }, t('enrNone'))))))),
    isSup() ? exhibitorForm() : null,
  ];
}

// field is a labelled text input (help: a line under the label it is described by).
function field(id, label, value, { help, ...attrs } = {}) {
  const input = h('input', { id, type: 'text', autocomplete: 'off', 'aria-describedby': help ? id + '-help' : null, ...attrs });
  input.value = value || '';
  return h('div', { class: 'field' }, h('label', { for: id }, label), help ? h('p', { class: 'help', id: id + '-help' }, help) : null, input);
}

function exhibitorForm() {
  const e = editing || {};
  const c = e.contact || {};
  return h('section', { class: 'card', 'aria-labelledby': 'x-title' },
    h('h2', { id: 'x-title' }, t('enrExhibitorForm')),
    h('p', { class: 'help' }, t('enrExhibitorFormHelp')),
    h('div', { class: 'grid' },
      field('x-id', t('enrId'), e.id, { placeholder: 'EX-0001' }), field('x-booth', t('enrBooth'), e.booth, { placeholder: '1A-101' }),
      field('x-name', t('enrName'), e.name), field('x-namezh', t('enrNameZh'), e.nameZh, { lang: 'zh' }),
      field('x-country', t('enrCountry'), e.country, { help: t('enrCountryHelp'), maxlength: 2 }),
      field('x-cname', t('enrContactName'), c.name), field('x-email', t('enrEmail'), c.email, { type: 'email' }), field('x-phone', t('enrPhone'), c.phone, { type: 'tel' })),
    h('button', { type: 'button', class: 'primary', id: 'save-exhibitor', onclick: saveExhibitor }, t('enrSaveExhibitor')),
    status());
}

async function saveExhibitor() {
  const v = (id) => document.getElementById(id).value.trim();
  const id = v('x-id');
  const body = { name: v('x-name'), nameZh: v('x-namezh'), booth: v('x-booth'), country: v('x-country') };
  if (v('x-cname') || v('x-email') || v('x-phone')) body.contact = { name: v('x-cname'), email: v('x-email'), phone: v('x-phone') };
  const r = await api.call('PUT', '/v1/exhibitors/' + encodeURIComponent(id || '-'), body).catch(() => null);
  if (!r) { note = { text: t('offline'), cls: 'error-text' }; render(); return; }
  if (r.status !== 200) { note = { text: problemsOf(r), cls: 'error-text' }; editing = { ...body, id, contact: body.contact }; render(); return; }
  editing = null;
  note = { text: t('enrSaved', { id }), cls: 'ok' };
  await load();
  render();
}

// ---- kiosks ----

async function enrolKiosk(exhibitor, booth, label) {
  const r = await api.call('POST', '/v1/kiosks', { exhibitor, booth, label }).catch(() => null);
  if (!r || r.status !== 201) return r ? problemsOf(r) : t('offline');
  issued.unshift({ ...r.data, kind: 'kiosk', exhibitor, booth, label });
  return '';
}

function kiosksTab() {
  const shown = issued.filter((s) => s.kind === 'kiosk' && !kiosks.some((k) => k.id === s.id && k.revoked));
  const halls = [...new Set(dir.map((e) => hallOf(e.booth)))].sort();
  const hallSel = h('select', { id: 'hall' }, halls.map((x) => h('option', { value: x }, x)));
  const hallButton = h('button', { type: 'button', class: 'primary', id: 'enrol-hall', onclick: () => enrolHall(hallSel.value) }, t('enrEnrolHall', { hall: halls[0] || '' }));
  hallSel.addEventListener('change', () => { hallButton.textContent = t('enrEnrolHall', { hall: hallSel.value }); });
  const list = h('datalist', { id: 'exhibitor-ids' }, dir.map((e) => h('option', { value: e.id }, e.id + ' · ' + exhibitorName(e) + ' · ' + e.booth)));
  const ex = h('input', { id: 'k-exhibitor', type: 'text', list: 'exhibitor-ids', autocomplete: 'off' });
  const booth = h('input', { id: 'k-booth', type: 'text', autocomplete: 'off' });
  ex.addEventListener('change', () => { const e = dir.find((x) => x.id === ex.value.trim()); if (e && !booth.value) booth.value = e.booth; });
  const label = h('input', { id: 'k-label', type: 'text', maxlength: 100, autocomplete: 'off', 'aria-describedby': 'k-label-help' });
  return [
    h('section', { class: 'card', 'aria-labelledby': 'k-title' },
      h('h1', { id: 'k-title' }, t('enrEnrolKiosk')),
      h('p', { class: 'help' }, t('enrEnrolKioskHelp')),
      h('div', { class: 'grid' },
        h('div', { class: 'field' }, h('label', { for: 'k-exhibitor' }, t('enrExhibitor')), ex, list),
        h('div', { class: 'field' }, h('label', { for: 'k-booth' }, t('enrBooth')), booth),
        h('div', { class: 'field' }, h('label', { for: 'k-label' }, t('enrLabel')), h('p', { class: 'help', id: 'k-label-help' }, t('enrLabelHelp')), label)),
      h('button', {
        type: 'button', class: 'primary', id: 'enrol-kiosk', onclick: async () => {
          const problem = await enrolKiosk(ex.value.trim(), booth.value.trim(), label.value.trim());
          note = problem ? { text: problem, cls: 'error-text' } : null;
          await load();
          render();
          const card = document.querySelector('.setup-card h2');
          if (card && !problem) { card.setAttribute('tabindex', '-1'); card.focus(); }
        },
      }, t('enrEnrolAndShow')),
      status()),
    shown.map(setupCard),
    shown.length ? h('button', { type: 'button', class: 'secondary', id: 'print-shown', onclick: () => printSheet(shown, '') }, t('enrPrintShown', { n: shown.length })) : null,
    halls.length ? h('section', { class: 'card', 'aria-labelledby': 'hall-title' },
      h('h2', { id: 'hall-title' }, t('enrHallSheet')),
      h('p', { class: 'help' }, t('enrHallHelp')),
      h('div', { class: 'row hall-row' }, h('div', { class: 'field' }, h('label', { for: 'hall' }, t('enrHall')), hallSel),
        hallButton)) : null,
    h('section', { class: 'card', 'aria-labelledby': 'kl-title' },
      h('h2', { id: 'kl-title' }, t('enrKiosks')),
      h('div', { class: 'table-scroll' }, h('table', { id: 'kiosks' },
        h('thead', {}, h('tr', {}, [t('enrBooth'), t('enrExhibitor'), t('enrLabelCol'), t('enrEnrolled'), t('enrLastSeen'), t('enrStatus'), ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, kiosks.length ? kiosks.slice().reverse().map((k) => enroleeRow(k, [k.booth, exhibitorCell(k.exhibitor), k.label || ''])) : h('tr', {}, h('td', { colspan: 7 }, t('enrNone'))))))),
  ];
}

async function enrolHall(hall) {
  const has = new Set(kiosks.filter((k) => !k.revoked).map((k) => k.booth));
  const todo = dir.filter((e) => hallOf(e.booth) === hall && !has.has(e.booth));
  if (!todo.length) { note = { text: t('enrHallDone', { hall }), cls: '' }; render(); return; }
  const done = [];
  for (const e of todo) {
    const problem = await enrolKiosk(e.id, e.booth, '');
    if (problem) { note = { text: e.booth + colon() + problem, cls: 'error-text' }; break; }
    done.push(issued[0]);
  }
  await load();
  render();
  if (done.length) printSheet(done, hall);
}

// exhibitorCell names a kiosk's exhibitor as the directory does (its id alone if it lists none).
function exhibitorCell(id) {
  const e = dir.find((d) => d.id === id);
  return e ? [id, h('br', {}), h('span', { class: 'muted', lang: lang() === 'zh' && e.nameZh ? 'zh' : null }, exhibitorName(e))] : id;
}

function enroleeRow(e, cells) {
  const st = e.revoked ? h('span', { class: 'state-revoked' }, t('enrRevokedAt', { at: when(e.revokedAt) })) : h('span', { class: 'state-active' }, t('enrActive'));
  return h('tr', { 'data-id': e.id },
    cells.map((c) => h('td', {}, c)),
    h('td', {}, when(e.createdAt)), h('td', {}, e.lastSeenAt ? when(e.lastSeenAt) : h('span', { class: 'muted' }, t('enrNever'))), h('td', {}, st),
    h('td', { class: 'actions' }, e.revoked ? null : h('button', { type: 'button', class: 'secondary small revoke', onclick: () => confirmRevoke(e) }, t('enrRevoke'))));
}

// confirmRevoke asks before cutting a kiosk or person off.
function confirmRevoke(e) {
  const kiosk = e.kind === 'kiosk';
  const title = kiosk ? t('enrConfirmKiosk', { booth: e.booth, label: e.label ? ' (' + e.label + ')' : '' }) : t('enrConfirmStaff', { name: e.name, role: t('enrRole_' + e.role) });
  const dlg = h('dialog', { 'aria-labelledby': 'revoke-title', 'aria-describedby': 'revoke-help', id: 'revoke-dialog' },
    h('h2', { id: 'revoke-title' }, title),
    h('p', { id: 'revoke-help' }, kiosk ? t('enrConfirmKioskHelp') : t('enrConfirmStaffHelp')),
    h('div', { class: 'nav-buttons' },
      h('button', { type: 'button', class: 'primary', id: 'revoke-confirm', onclick: async () => {
        dlg.close();
        const r = await api.call('POST', '/v1/' + (kiosk ? 'kiosks' : 'staff') + '/' + encodeURIComponent(e.id) + '/revoke').catch(() => null);
        note = r && r.status === 200 ? { text: t('enrRevokedDone', { who: kiosk ? t('enrBooth') + ' ' + e.booth : e.name }), cls: 'ok' } : { text: r ? problemsOf(r) : t('offline'), cls: 'error-text' };
        await load();
        render();
      } }, t('enrRevoke')),
      h('button', { type: 'button', class: 'secondary', onclick: () => dlg.close() }, t('enrCancel'))));
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  dlg.querySelector('.secondary').focus(); // the safe choice first
}

// printSheet prints one card per set-up code, in both languages (the booths' people read
// either), on the sheet only (print CSS).
function printSheet(setups, hall) {
  const x = expo.info || {};
  const [titleEn, titleZh] = both('enrSheetTitle');
  const [introEn, introZh] = both('enrSheetIntro');
  const [untilEn, untilZh] = both('enrValidUntil');
  const fill = (s, name) => s.replace('{expo}', name || '').replace('{hall}', hall || '—');
  const sheet = h('section', { class: 'sheet', id: 'sheet' },
    h('h1', {}, fill(titleEn, x.name)), h('h1', { lang: 'zh' }, fill(titleZh, x.nameZh || x.name)),
    h('p', { class: 'intro' }, introEn, h('br', {}), h('span', { lang: 'zh' }, introZh)),
    h('div', { class: 'cards' }, setups.slice().sort((a, b) => a.booth.localeCompare(b.booth)).map((s) => {
      const e = dir.find((d) => d.id === s.exhibitor) || {};
      const link = absolute(s.setupUrl);
      return h('div', { class: 'booth-card' }, qr(link, s.booth),
        h('div', {},
          h('p', { class: 'booth' }, s.booth),
          h('p', { class: 'who' }, e.name || s.exhibitor, e.nameZh ? [' · ', h('span', { lang: 'zh' }, e.nameZh)] : null, s.label ? ' — ' + s.label : ''),
          h('p', { class: 'small' }, untilEn, ' / ', h('span', { lang: 'zh' }, untilZh), ': ', when(s.setupExpiresAt)),
          h('p', { class: 'small' }, link)));
    })));
  document.getElementById('sheet')?.remove();
  document.body.append(sheet);
  document.body.classList.add('printing');
  window.addEventListener('afterprint', () => document.body.classList.remove('printing'), { once: true });
  window.print();
}

// ---- staff ----

function staffTab() {
  const shown = issued.filter((s) => s.kind === 'staff' && !staff.some((p) => p.id === s.id && p.revoked));
  const name = h('input', { id: 's-name', type: 'text', maxlength: 100, autocomplete: 'off' });
  const roleSel = h('select', { id: 's-role' }, ['examiner', 'officer', 'supervisor'].map((r) => h('option', { value: r }, t('enrRole_' + r))));
  return [
    h('section', { class: 'card', 'aria-labelledby': 's-title' },
      h('h1', { id: 's-title' }, t('enrEnrolStaff')),
      h('p', { class: 'help' }, t('enrEnrolStaffHelp')),
      h('div', { class: 'grid' },
        h('div', { class: 'field' }, h('label', { for: 's-name' }, t('enrPerson')), name),
        h('div', { class: 'field' }, h('label', { for: 's-role' }, t('enrRole')), roleSel)),
      h('button', {
        type: 'button', class: 'primary', id: 'enrol-staff', onclick: async () => {
          const r = await api.call('POST', '/v1/staff', { name: name.value.trim(), role: roleSel.value }).catch(() => null);
          if (r && r.status === 201) { issued.unshift({ ...r.data, kind: 'staff', name: name.value.trim(), role: roleSel.value }); note = null; } else note = { text: r ? problemsOf(r) : t('offline'), cls: 'error-text' };
          await load();
          render();
        },
      }, t('enrEnrolAndShow')),
      status()),
    shown.map(setupCard),
    h('section', { class: 'card', 'aria-labelledby': 'sl-title' },
      h('h2', { id: 'sl-title' }, t('enrStaff')),
      h('div', { class: 'table-scroll' }, h('table', { id: 'staff' },
        h('thead', {}, h('tr', {}, [t('enrPerson'), t('enrRole'), t('enrEnrolled'), t('enrLastSeen'), t('enrStatus'), ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, staff.length ? staff.slice().reverse().map((p) => enroleeRow(p, [p.name, t('enrRole_' + p.role)])) : h('tr', {}, h('td', { colspan: 6 }, t('enrNone'))))))),
  ];
}

// ---- the page ----

let setupProblem = ''; // the key of what the sign-in card says, kept across a change of language

function setupScreen(problem) {
  if (problem !== undefined) setupProblem = problem;
  problem = setupProblem;
  screen(h('section', { class: 'card' }, h('h1', {}, t('enrolmentTitle')),
    problem ? h('p', { class: 'error-text', role: 'alert' }, t(problem)) : null,
    codeField(api, (p) => { if (p) setupScreen(p); else start(); })));
}

function render() {
  document.title = t('enrolmentTitle');
  if (!api.token) { setupScreen(); return; }
  setupProblem = '';
  if (!isSup() && role() !== 'officer') { screen(h('section', { class: 'card' }, h('h1', {}, t('enrolmentTitle')), h('p', {}, t('enrNotAllowed')))); return; }
  if (!isSup()) tab = 'exhibitors';
  screen(isSup() ? tabs() : null, ...{ exhibitors: exhibitorsTab, kiosks: kiosksTab, staff: staffTab }[tab]());
}

async function load() {
  const calls = [api.call('GET', '/v1/exhibitors')];
  if (isSup()) calls.push(api.call('GET', '/v1/kiosks'), api.call('GET', '/v1/staff'));
  const [d, k, s] = await Promise.all(calls).catch(() => []);
  if (d && d.status === 200) dir = d.data.items;
  if (k && k.status === 200) kiosks = k.data.items;
  if (s && s.status === 200) staff = s.data.items;
}

api.onUnauthorized = (code) => { api.setToken(''); setupScreen(unauthorizedKey(code)); };

async function start() {
  render();
  await loadExpo(api.token);
  await load();
  if (api.token) render();
}

if (api.token) start(); else render();
