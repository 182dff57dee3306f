// The complaint desk (SPEC §11) for the expo's IP officers and supervisors: the complaints by
// state, oldest first, each with its clock; a complaint with its evidence, where the officer asks
// for supplements (the missing items ticked), accepts, and decides with the outcome and the
// measures; the floor staff's measures per booth; the two ledgers across every fair; and a walk-in
// rights holder's complaint registered at the desk.
import { t, initLang, msg } from '/i18n.js';
import { h, load, save, claimsOf, Client, expoLabel, loadExpo, loadReference, langButton, colon, paren, semi } from '/common.js';
import { unauthorizedKey, codeField } from '/examiner/staff.js';
import {
  complaintForm, newComplaintDraft, complaintDetails, cstateLabel, clock, localTime, measureLabel, missingLabel, MEASURES, OUTCOMES, MISSING,
  uploadOne, filePicker,
} from '/complaints.js';

initLang();
const api = new Client('examinerToken');
const app = document.getElementById('app');
let countries = [];
let all = []; // every complaint of the expo, as last listed
let walkIn = load('walkInComplaint', null);

// The desk's sections: the states an officer works from, in the order of the work.
const SECTIONS = [
  ['submitted', ['submitted']],
  ['incomplete', ['incomplete']],
  ['accepted', ['accepted', 'answer_overdue']],
  ['answered', ['answered']],
  ['decided', ['decided', 'refused', 'withdrawn']],
];

function header() {
  const c = claimsOf(api.token) || {};
  return h('header', { class: 'top' },
    h('span', { class: 'brand' }, t('complaintDesk')),
    api.token ? expoLabel() : null,
    h('span', { class: 'who' }, c.name || c.sub || ''),
    h('nav', { 'aria-label': t('complaintDesk') },
      c.role === 'supervisor' ? h('a', { href: '/examiner/', class: 'button secondary' }, t('toConsole')) : null,
      api.token ? h('a', { href: '/examiner/enrolment/', class: 'button secondary', id: 'to-enrolment' }, c.role === 'supervisor' ? t('toEnrolment') : t('toExhibitors')) : null,
      api.token ? h('button', { type: 'button', class: 'secondary', onclick: () => { api.setToken(''); render(); } }, t('signOut')) : null,
      langButton(render)));
}

function tabs(current) {
  const tab = (hash, label) => h('a', { href: hash, class: 'button ' + (current === hash ? 'primary' : 'secondary'), 'aria-current': current === hash ? 'page' : undefined }, label);
  return h('nav', { class: 'tabs', 'aria-label': t('complaintDesk') },
    tab('#/', t('complaintsTitle')), tab('#/measures', t('floorMeasures')), tab('#/ledgers', t('ledgers')), tab('#/walk-in', t('complaintWalkIn')),
    tab('#/certificates', t('certificatesTab')));
}

function screen(current, ...children) {
  app.replaceChildren(header(), h('main', { id: 'main', class: 'console desk', tabindex: '-1' }, tabs(current), ...children));
}

function focusHeading() {
  const el = app.querySelector('main h1, main h2');
  if (el) { el.setAttribute('tabindex', '-1'); el.focus(); }
}

let setupProblem = ''; // the key of what the sign-in card says, kept across a change of language

function setupScreen(problem) {
  if (problem !== undefined) setupProblem = problem;
  problem = setupProblem;
  const ta = h('textarea', { id: 'token', rows: 4, spellcheck: 'false', 'aria-describedby': 'token-err' });
  const err = h('div', { class: 'field-error', id: 'token-err', role: 'alert' }, problem ? h('p', {}, t(problem)) : null);
  app.replaceChildren(header(), h('main', { id: 'main', class: 'console', tabindex: '-1' }, h('section', { class: 'card' }, h('h1', {}, t('complaintDesk')),
    err,
    codeField(api, (p) => { if (p) setupScreen(p); else start(); }),
    h('div', { class: 'field' }, h('label', { for: 'token' }, t('officerToken')), ta),
    h('button', {
      type: 'button', class: 'secondary', onclick: () => {
        const c = claimsOf(ta.value.trim());
        if (!c || (c.role !== 'officer' && c.role !== 'supervisor')) {
          err.replaceChildren(h('p', {}, c ? t('tokenWrongRole') : t('tokenInvalid')));
          return;
        }
        api.setToken(ta.value.trim());
        start();
      },
    }, t('save')))));
}

async function loadAll() {
  const items = [];
  let cursor = '';
  for (let i = 0; i < 50; i++) {
    const r = await api.call('GET', '/v1/complaints?limit=100' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    if (r.status !== 200) throw new Error((r.data && r.data.detail) || 'HTTP ' + r.status);
    items.push(...(r.data.items || []));
    cursor = r.data.nextCursor;
    if (!cursor) break;
  }
  all = items;
}

function oldestFirst(a, b) { return Date.parse(a.receivedAt) - Date.parse(b.receivedAt); }

async function listScreen() {
  try {
    await loadAll();
  } catch (e) {
    screen('#/', h('p', { class: 'error-text' }, t('error', { why: e.message })));
    return;
  }
  const table = (items) => h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, [t('complaintNumber'), t('received'), t('respondent'), t('rightRow'), t('state'), t('clock'), ''].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, items.map((c) => h('tr', { 'data-id': c.id, class: c.state === 'answer_overdue' ? 'overdue-row' : '' },
      h('td', {}, c.complaintNumber), h('td', {}, localTime(c.receivedAt)),
      h('td', {}, c.respondent.booth + (c.respondent.name ? ' · ' + c.respondent.name : '')),
      h('td', {}, t('right_' + c.right.kind) + ' ' + c.right.number),
      h('td', { class: 'cstate-' + c.state }, cstateLabel(c.state)),
      h('td', {}, c.respondBy && ['incomplete', 'accepted', 'answer_overdue'].includes(c.state) ? clock(c.respondBy) : ''),
      h('td', {}, h('a', { href: '#/c/' + c.id, class: 'button secondary small', 'aria-label': t('open') + ' — ' + c.complaintNumber }, t('open')))))));
  screen('#/', h('h1', {}, t('complaintsTitle')), h('p', { class: 'help' }, t('complaintDeskHelp')),
    h('button', { type: 'button', class: 'secondary', onclick: () => listScreen() }, t('refresh')),
    SECTIONS.map(([key, states]) => {
      const items = all.filter((c) => states.includes(c.state)).sort(oldestFirst);
      const title = t('deskSection_' + key) + paren(String(items.length));
      return key === 'decided' ? h('details', { class: 'closed', 'data-section': key }, h('summary', {}, title), items.length ? table(items) : null)
        : h('section', { class: 'card', 'data-section': key }, h('h2', {}, title), items.length ? table(items) : h('p', { class: 'muted' }, t('noComplaints')));
    }));
}

async function complaintScreen(id) {
  const r = await api.call('GET', '/v1/complaints/' + id).catch(() => null);
  if (!r || r.status !== 200) {
    screen('', h('p', { class: 'error-text' }, t('error', { why: r ? (r.data && r.data.detail) || 'HTTP ' + r.status : t('offline') })));
    return;
  }
  const c = r.data;
  const status = h('div', { id: 'desk-status', 'aria-live': 'polite' });
  const act = async (path, body) => {
    status.replaceChildren(h('p', {}, t('submitting')));
    const res = await api.call('POST', '/v1/complaints/' + c.id + path, body).catch(() => null);
    if (res && res.status === 200) { complaintScreen(c.id); return; }
    status.replaceChildren(h('div', { class: 'step-problems', role: 'alert' },
      res ? ((res.data && res.data.errors) || [{ message: 'HTTP ' + res.status }]).map((p) => h('p', {}, msg(p))) : h('p', {}, t('offline'))));
  };
  const panels = [];
  if (c.state === 'submitted') {
    const missing = new Set();
    const note = h('textarea', { id: 'supplement-note', rows: 2 });
    panels.push(h('section', { class: 'card', id: 'supplement-panel' }, h('h2', {}, t('requestSupplement')),
      h('fieldset', { class: 'group reasons' }, h('legend', {}, t('missingItems')),
        MISSING.map((m) => h('label', { class: 'option' }, h('input', { type: 'checkbox', value: m, onchange: (e) => { if (e.target.checked) missing.add(m); else missing.delete(m); } }),
          missingLabel(m)))),
      h('div', { class: 'field' }, h('label', { for: 'supplement-note' }, t('note'), h('span', { class: 'tag' }, paren(t('optional')))), note),
      h('button', {
        type: 'button', class: 'secondary', id: 'request-supplement', onclick: () => {
          if (!missing.size) { status.replaceChildren(h('p', { class: 'error-text', role: 'alert' }, t('chooseMissing'))); return; }
          act('/request-supplement', { missing: MISSING.filter((m) => missing.has(m)), note: note.value.trim() });
        },
      }, t('requestSupplement'))),
    h('section', { class: 'card' }, h('h2', {}, t('acceptComplaint')),
      h('button', { type: 'button', class: 'primary', id: 'accept-complaint', onclick: () => act('/accept', {}) }, t('acceptComplaint'))));
  }
  if (['accepted', 'answer_overdue', 'answered'].includes(c.state)) {
    let outcome = '';
    const measures = new Set(c.proposedMeasures || []);
    const note = h('textarea', { id: 'decision-note', rows: 2 });
    const measureBox = h('fieldset', { class: 'group reasons', id: 'measures', hidden: true }, h('legend', {}, t('measures')),
      MEASURES.map((m) => h('label', { class: 'option' }, h('input', {
        type: 'checkbox', value: m, checked: measures.has(m), onchange: (e) => { if (e.target.checked) measures.add(m); else measures.delete(m); },
      }), measureLabel(m))));
    panels.push(h('section', { class: 'card', id: 'decision-panel' }, h('h2', {}, t('decideComplaint')),
      h('fieldset', { class: 'choice' }, h('legend', {}, t('outcome')),
        OUTCOMES.map((o) => h('label', { class: 'option' }, h('input', {
          type: 'radio', name: 'outcome', value: o, onchange: () => { outcome = o; measureBox.hidden = o !== 'infringement'; },
        }), t('outcome_' + o)))),
      measureBox,
      h('div', { class: 'field' }, h('label', { for: 'decision-note' }, t('note'), h('span', { class: 'tag' }, paren(t('optional')))), note),
      h('button', {
        type: 'button', class: 'primary', id: 'decide-complaint', onclick: () => {
          if (!outcome) { status.replaceChildren(h('p', { class: 'error-text', role: 'alert' }, t('outcome') + colon() + t('required'))); return; }
          const chosen = outcome === 'infringement' ? MEASURES.filter((m) => measures.has(m)) : [];
          if (outcome === 'infringement' && !chosen.length) { status.replaceChildren(h('p', { class: 'error-text', role: 'alert' }, t('chooseMeasure'))); return; }
          act('/decision', { outcome, measures: chosen.length ? chosen : undefined, note: note.value.trim() || undefined });
        },
      }, t('decideComplaint'))));
  }
  screen('', h('div', { class: 'cols leased' },
    h('section', { class: 'card complaint' }, h('h1', {}, c.complaintNumber), complaintDetails(api, c),
      h('div', { class: 'nav-buttons' }, h('a', { href: '#/', class: 'button secondary' }, t('backToList')))),
    h('div', { class: 'side' }, panels, status)));
  focusHeading();
}

async function measuresScreen() {
  const r = await api.call('GET', '/v1/complaints/measures').catch(() => null);
  const items = r && r.status === 200 ? r.data.items || [] : [];
  screen('#/measures', h('section', { class: 'card' }, h('h1', {}, t('floorMeasures')),
    items.length ? h('table', { class: 'list', id: 'measures-table' },
      h('thead', {}, h('tr', {}, [t('respondentBooth'), t('exhibitor'), t('measures'), t('complaintNumber')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, items.map((b) => h('tr', {},
        h('th', { scope: 'row' }, b.booth), h('td', {}, [b.exhibitor, b.name].filter((x) => x).join(' · ')),
        h('td', {}, b.measures.map(measureLabel).join(semi())),
        h('td', {}, b.complaints.map((s) => h('div', {}, h('a', { href: '#/c/' + s.id }, s.complaintNumber), s.proposed ? paren(t('proposedMeasures')) : '')))))))
      : h('p', {}, t('noComplaints'))));
  focusHeading();
}

async function ledgersScreen() {
  const [a, b] = await Promise.all([api.call('GET', '/v1/complaints/ledger/respondents'), api.call('GET', '/v1/complaints/ledger/complainants')].map((p) => p.catch(() => null)));
  const rs = a && a.status === 200 ? a.data.items : [];
  const cs = b && b.status === 200 ? b.data.items : [];
  const table = (id, cols, rows) => (rows.length ? h('table', { class: 'list', id },
    h('thead', {}, h('tr', {}, cols.map((x, i) => h('th', { scope: 'col', class: i >= cols.length - 2 ? 'num' : '' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((x, i) => (i === 0 ? h('th', { scope: 'row' }, x) : h('td', { class: i >= r.length - 2 ? 'num' : '' }, String(x))))))))
    : h('p', {}, t('noComplaints')));
  screen('#/ledgers', h('h1', {}, t('ledgers')), h('p', { class: 'help' }, t('ledgerNote')),
    h('section', { class: 'card' }, h('h2', {}, t('ledgerRespondents')),
      table('ledger-respondents', [t('exhibitor'), t('respondentBooth'), t('complaintsCount'), t('infringements')],
        rs.map((x) => [[x.exhibitor, x.name].filter((v) => v).join(' · ') || '—', x.booth, x.complaints, x.infringements]))),
    h('section', { class: 'card' }, h('h2', {}, t('ledgerComplainants')),
      table('ledger-complainants', [t('complainant'), t('nationality'), t('complaintsCount'), t('noInfringementCount')],
        cs.map((x) => [x.name, x.nationality, x.complaints, x.noInfringement]))));
  focusHeading();
}

function walkInScreen() {
  if (!walkIn) { walkIn = newComplaintDraft(); save('walkInComplaint', walkIn); }
  screen('#/walk-in', complaintForm({
    api, d: walkIn, storeKey: 'walkInComplaint', countries,
    onFiled: (c) => { walkIn = null; save('walkInComplaint', null); location.hash = '#/c/' + c.id; },
    onDiscard: () => { if (confirm(t('confirmDiscard'))) { walkIn = null; save('walkInComplaint', null); walkInScreen(); } },
  }));
}

// certificatesScreen: the officer at a booth records the exhibit seen there, with photos from
// the camera, and issues its exhibition display certificate (SPEC §12); the certificate's number
// and verify address are shown for the exhibitor.
async function certificatesScreen(issued) {
  let declared = [];
  try {
    const r = await api.call('GET', '/v1/exhibits?state=declared');
    if (r.status === 200) declared = r.data.items || [];
  } catch (_) { /* offline: the form still shows */ }
  const photos = [];
  const names = {};
  const field = (id, label, attrs) => h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, ...attrs }));
  const box = h('div', { class: 'progress-list', 'aria-live': 'polite' });
  const list = h('ul', { class: 'files' });
  const status = h('div', { id: 'certificate-status', 'aria-live': 'polite' });
  const paint = () => list.replaceChildren(...photos.map((id) => h('li', {}, '✓ ' + names[id].name)));
  const issue = async () => {
    const v = (id) => document.getElementById(id).value.trim();
    status.replaceChildren(h('p', {}, t('submitting')));
    const ex = await api.call('POST', '/v1/exhibits', { exhibitor: v('cert-exhibitor'), booth: v('cert-booth'), exhibit: v('cert-exhibit'),
      firstDisplayDate: v('cert-date'), photos }).catch(() => null);
    if (!ex || ex.status !== 201) {
      status.replaceChildren(h('div', { class: 'step-problems', role: 'alert' },
        ex ? ((ex.data && ex.data.errors) || [{ message: 'HTTP ' + ex.status }]).map((p) => h('p', {}, msg(p))) : h('p', {}, t('offline'))));
      return;
    }
    const c = await api.call('POST', '/v1/exhibits/' + ex.data.id + '/certificate').catch(() => null);
    if (!c || c.status !== 201) {
      status.replaceChildren(h('div', { class: 'step-problems', role: 'alert' }, h('p', {}, c ? msg((c.data && c.data.errors && c.data.errors[0]) || { message: 'HTTP ' + c.status }) : t('offline'))));
      return;
    }
    certificatesScreen(c.data);
  };
  // A booth's kiosk asked: the officer at the booth sees the exhibit, confirms it and issues.
  const confirmAndIssue = async (e, button) => {
    button.disabled = true;
    const fail = (r) => {
      button.disabled = false;
      status.replaceChildren(h('div', { class: 'step-problems', role: 'alert' }, h('p', {}, r ? msg((r.data && r.data.errors && r.data.errors[0]) || { message: (r.data && r.data.detail) || 'HTTP ' + r.status }) : t('offline'))));
    };
    const ok = await api.call('POST', '/v1/exhibits/' + e.id + '/confirm').catch(() => null);
    if (!ok || ok.status !== 200) { fail(ok); return; }
    const c = await api.call('POST', '/v1/exhibits/' + e.id + '/certificate').catch(() => null);
    if (!c || c.status !== 201) { fail(c); return; }
    certificatesScreen(c.data);
  };
  screen('#/certificates',
    issued ? h('section', { class: 'card', id: 'issued' }, h('h2', {}, t('certificateIssued')),
      h('p', { class: 'big-number' }, issued.certificateNumber),
      h('p', {}, issued.payload.exhibit + ' · ' + t('respondentBooth') + ' ' + issued.payload.booth + ' · ' + issued.payload.firstDisplayDate),
      h('a', { href: issued.qr, class: 'button primary', id: 'open-verify' }, t('openVerify'))) : null,
    declared.length ? h('section', { class: 'card', id: 'declared' }, h('h2', {}, t('declaredTitle')), h('p', { class: 'help' }, t('declaredHelp')),
      h('table', { class: 'list' },
        h('thead', {}, h('tr', {}, [t('respondentBooth'), t('exhibitor'), t('exhibitLabel'), t('firstDisplayLabel'), t('exhibitPhotos'), ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, declared.map((e) => h('tr', { 'data-id': e.id },
          h('td', {}, e.booth), h('td', {}, e.exhibitor), h('td', {}, e.exhibit), h('td', {}, e.firstDisplayDate),
          h('td', { class: 'num' }, String((e.photos || []).length)),
          h('td', {}, h('button', { type: 'button', class: 'primary small', 'aria-label': t('confirmIssue') + ' — ' + e.booth + ' ' + e.exhibit,
            onclick: (ev) => confirmAndIssue(e, ev.currentTarget) }, t('confirmIssue')))))))) : null,
    h('section', { class: 'card' }, h('h1', {}, t('recordExhibit')), h('p', { class: 'help' }, t('recordExhibitHelp')),
      h('div', { class: 'row' },
        field('cert-exhibitor', t('exhibitor'), { autocomplete: 'off' }),
        field('cert-booth', t('respondentBooth'), { autocomplete: 'off', maxlength: 32 })),
      field('cert-exhibit', t('exhibitLabel'), { maxlength: 500 }),
      field('cert-date', t('firstDisplayLabel'), { type: 'date', value: expoToday() || '' }),
      h('fieldset', { class: 'group' }, h('legend', {}, t('exhibitPhotos')), list, box,
        filePicker('exhibit_photo', (files) => files.forEach((file) => uploadOne(api, 'exhibit_photo', file, box, (u) => {
          names[u.id] = u;
          photos.push(u.id);
          paint();
        })), { camera: true })),
      h('button', { type: 'button', class: 'primary', id: 'issue-certificate', onclick: issue }, t('issueCertificate')),
      status));
  focusHeading();
}

// expoToday is the expo's date today, as the server says it.
function expoToday() {
  const x = load('expo', null);
  return x && x.filingDate;
}

function render() {
  document.title = t('complaintDesk');
  const c = claimsOf(api.token);
  if (!api.token || !c || (c.role !== 'officer' && c.role !== 'supervisor')) { setupScreen(); return; }
  setupProblem = '';
  const [a, b] = location.hash.replace(/^#\/?/, '').split('/');
  switch (a) {
    case 'c': complaintScreen(b); break;
    case 'measures': measuresScreen(); break;
    case 'ledgers': ledgersScreen(); break;
    case 'walk-in': walkInScreen(); break;
    case 'certificates': certificatesScreen(null); break;
    default: listScreen();
  }
}

api.onUnauthorized = (code) => { api.setToken(''); setupScreen(unauthorizedKey(code)); };
window.addEventListener('hashchange', () => render());

async function start() {
  const m = location.hash.match(/token=([^&]+)/);
  if (m) {
    api.setToken(decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + '#/');
  }
  render();
  const [, found] = await Promise.all([loadExpo(api.token), loadReference('countries', api.token)]);
  countries = (found && found.countries) || [];
  render();
}

start();
