// The examiner console: queues with their depth and oldest age, "next" leases from the chosen
// queue, the filing in a readable layout with its documents and history, and the decision
// (keys a / r / c) with the reason checklist, under a lease countdown with extend and release.
// Beside the queues, "Find a filing" searches the whole expo (GET /v1/filings: number,
// applicant, mark or title, booth; state, queue, kind, dates) and opens any filing read-only.
import { t, initLang, msg, has } from '/i18n.js';
import '/complaint-strings.js';
import '/examiner/mail-strings.js';
import { takeSetupLink, unauthorizedKey, codeField } from '/examiner/staff.js';
import {
  h, load, save, claimsOf, Client, expo, expoLabel, loadExpo, colon, paren, semi, actionLabel, serverNow, loadReference, sizeText, langButton, stateLabel, typeOf,
  subjectOf, feesTable, heading, deadlineText,
} from '/common.js';

initLang();
const api = new Client('examinerToken');
const app = document.getElementById('app');
// The reasons that apply to each type of filing (the server's filing.ReasonCodesFor).
const COMMON_REASONS = ['document_missing', 'applicant_data_incomplete', 'agent_missing', 'priority_evidence_missing'];
const REASONS = {
  trademark: ['class_term_unacceptable', 'mark_unclear', ...COMMON_REASONS, 'other'],
  design: ['views_unclear', 'brief_description_insufficient', ...COMMON_REASONS, 'other'],
  invention: ['claims_unclear', 'drawings_unclear', ...COMMON_REASONS, 'other'],
  utility_model: ['claims_unclear', 'drawings_unclear', ...COMMON_REASONS, 'other'],
};

let nice = [];
let locarno = [];
let queues = [];
let chosen = load('examinerQueue', '');
let lease = load('examinerLease', null);
let waiting = false; // a lease request (long poll) is under way // {leaseToken, leaseExpiresAt, filing}
let history = [];
let mail = []; // the filing's notices to its contact (SPEC §17)
let message = null; // {text, cls}
let docs = {}; // attachment id → {url, contentType}
// The search: its form's values, the results loaded so far, the sort, and the filing opened
// read-only from them ({filing, history}).
let find = load('examinerSearch', { q: '', state: '', queue: '', kind: '', from: '', to: '' });
let results = null; // {items, nextCursor} once searched
let sort = { key: '', dir: 1 };
let viewing = null;
let searching = false;
let searchSeq = 0; // counts the searches answered: the results say which one they show

function header() {
  const c = claimsOf(api.token) || {};
  return h('header', { class: 'top' },
    h('span', { class: 'brand' }, t('consoleTitle')),
    api.token ? expoLabel() : null,
    h('span', { class: 'who' }, c.name || c.sub || ''),
    h('nav', { 'aria-label': t('consoleTitle') },
      c.role === 'supervisor' ? h('a', { href: '/examiner/dashboard/', class: 'button secondary', id: 'to-dashboard' }, t('toDashboard')) : null,
      c.role === 'supervisor' ? h('a', { href: '/examiner/complaints/', class: 'button secondary', id: 'to-complaints' }, t('complaintDesk')) : null,
      c.role === 'supervisor' ? h('a', { href: '/examiner/enrolment/', class: 'button secondary', id: 'to-enrolment' }, t('toEnrolment')) : null,
      api.token ? h('button', { type: 'button', class: 'secondary', onclick: () => { api.setToken(''); render(); } }, t('signOut')) : null,
      langButton(render)));
}

function screen(...children) {
  app.replaceChildren(header(), h('main', { id: 'main', class: 'console', tabindex: '-1' }, ...children));
}

let setupProblem = ''; // the key of what the sign-in card says, kept across a change of language

function setupScreen(problem) {
  if (problem !== undefined) setupProblem = problem;
  problem = setupProblem;
  const ta = h('textarea', { id: 'token', rows: 4, spellcheck: 'false', 'aria-describedby': 'token-err' });
  const err = h('div', { class: 'field-error', id: 'token-err', role: 'alert' }, problem ? h('p', {}, t(problem)) : null);
  screen(h('section', { class: 'card' }, h('h1', {}, t('consoleTitle')),
    err,
    codeField(api, (p) => { if (p) setupScreen(p); else started ? render() : arrive(); }),
    h('div', { class: 'field' }, h('label', { for: 'token' }, t('examinerToken')), ta),
    h('button', {
      type: 'button', class: 'secondary', onclick: () => {
        const c = claimsOf(ta.value.trim());
        if (c && c.role === 'officer') {
          // The IP complaint officers work at the complaint desk.
          api.setToken(ta.value.trim());
          location.href = '/examiner/complaints/';
          return;
        }
        if (!c || (c.role !== 'examiner' && c.role !== 'supervisor')) {
          err.replaceChildren(h('p', {}, c ? t('tokenWrongRole') : t('tokenInvalid')));
          return;
        }
        api.setToken(ta.value.trim());
        start();
      },
    }, t('save'))));
}

function ago(seconds) {
  return seconds >= 120 ? t('minutes', { n: Math.round(seconds / 60) }) : t('seconds', { n: seconds });
}

function queueName(q) { return t('queueName_' + q); }

function queuesPanel() {
  return h('section', { class: 'card', 'aria-labelledby': 'queues-title' },
    h('h2', { id: 'queues-title' }, t('queues')),
    h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, ['', t('queue'), t('depth'), t('inFlight'), t('oldest')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, queues.map((q) => {
        const id = 'q-' + q.name;
        const radio = h('input', { type: 'radio', name: 'queue', id, value: q.name, checked: q.name === chosen });
        radio.addEventListener('change', () => {
          chosen = q.name;
          save('examinerQueue', chosen);
          const nb = document.getElementById('next');
          if (nb) nb.disabled = !!lease;
        });
        return h('tr', { 'data-queue': q.name },
          h('td', {}, radio),
          h('td', {}, h('label', { for: id }, queueName(q.name))),
          h('td', { class: 'num' }, String(q.depth)), h('td', { class: 'num' }, String(q.inFlight)),
          h('td', { class: 'num' }, q.depth ? ago(q.oldestAgeSeconds) : '—'));
      }))),
    h('button', { type: 'button', class: 'primary', id: 'next', disabled: !chosen || !!lease || waiting, onclick: next }, t('nextFiling')),
    waiting ? h('p', { id: 'waiting', class: 'waiting', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      t('waitingForFiling', { queue: queueName(chosen) })) : null);
}

async function refreshQueues() {
  try {
    const r = await api.call('GET', '/v1/queues');
    if (r.status === 200) queues = r.data;
  } catch (_) { /* offline: keep the last figures */ }
  const panel = document.getElementById('queues-panel');
  if (!panel) return;
  const rows = panel.querySelectorAll('tr[data-queue]');
  if (rows.length === queues.length && queues.every((q, i) => rows[i].dataset.queue === q.name)) {
    // Update the figures in place: a refresh must not move the examiner's focus.
    queues.forEach((q, i) => {
      const cells = rows[i].querySelectorAll('td.num');
      cells[0].textContent = String(q.depth);
      cells[1].textContent = String(q.inFlight);
      cells[2].textContent = q.depth ? ago(q.oldestAgeSeconds) : '—';
    });
    const nb = document.getElementById('next');
    if (nb) nb.disabled = !chosen || !!lease || waiting;
  } else {
    panel.replaceChildren(queuesPanel());
  }
}

async function next() {
  if (!chosen || waiting) return;
  message = null;
  waiting = true;
  render(); // a visible waiting state while the server looks (long poll)
  let r;
  try {
    r = await api.call('POST', '/v1/queues/' + encodeURIComponent(chosen) + '/lease?wait=5');
  } finally {
    waiting = false;
  }
  if (r.status === 204) {
    message = { text: t('queueEmpty') };
  } else if (r.status === 200) {
    lease = r.data;
    viewing = null;
    save('examinerLease', lease);
    await loadFilingExtras();
  } else {
    message = { text: t('error', { why: (r.data && r.data.detail) || r.status }), cls: 'error-text' };
  }
  render();
  const h2 = document.querySelector('#filing h2');
  if (h2) h2.focus();
  refreshQueues();
}

async function loadFilingExtras() {
  const f = lease.filing;
  docs = {};
  history = [];
  mail = [];
  const [hr, mr] = await Promise.all([
    api.call('GET', '/v1/filings/' + f.id + '/history'),
    api.call('GET', '/v1/filings/' + f.id + '/notifications'),
    ...(f.documents || []).map(async (d) => {
      const r = await api.call('GET', '/v1/filings/' + f.id + '/attachments/' + d.id);
      if (r.status === 200) docs[d.id] = r.data;
    }),
  ]);
  if (hr.status === 200) history = hr.data;
  if (mr.status === 200) mail = mr.data.items;
}

function row(label, value) {
  if (value === undefined || value === null || value === '') return null;
  return h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, value));
}

// classHeading is " — " and a class's heading in the console's language.
function classHeading(list, n) {
  const c = list.find((x) => x.class === n);
  return c ? ' — ' + heading(c) : '';
}

function filingView(f, events = history, notices = mail) {
  const tm = f.trademark;
  const p = f.patent;
  return h('article', { id: 'filing', 'aria-labelledby': 'filing-title' },
    h('h2', { id: 'filing-title', tabindex: '-1' }, f.filingNumber + ' · ' + t('type_' + typeOf(f))),
    h('p', { class: 'strong' }, subjectOf(f)),
    h('table', { class: 'summary' }, h('tbody', {},
      row(t('state'), stateLabel(f.state)),
      row(t('filingDate'), f.filingDate + paren(t('filedAtTime', { time: f.filedAt.slice(11, 19), zone: 'UTC' + (f.filedAt.slice(19) === 'Z' ? '' : f.filedAt.slice(19)) }))),
      row(t('exhibitor'), f.exhibitor + ' · ' + t('booth') + ' ' + f.booth),
      row(t('queue'), queueName(f.queue)),
      row(t('filingLanguage'), t('lang_' + f.language)),
      (f.deadlines || []).map((d) => row(t('deadline_' + d.kind), deadlineText(d))))),
    h('h3', {}, t('step_applicants')),
    h('table', {}, h('tbody', {}, (f.applicants || []).map((a) => h('tr', {},
      h('td', {}, h('strong', {}, a.name)), h('td', {}, t(a.kind)), h('td', {}, a.nationality + ' / ' + a.domicile),
      h('td', {}, a.address), h('td', {}, a.idNumber || ''))))),
    f.agent ? h('p', {}, t('agent') + colon() + f.agent.name + paren(f.agent.agencyCode)) : null,
    tm ? [h('h3', {}, t('step_mark')),
      h('table', { class: 'summary' }, h('tbody', {},
        row(t('markType'), t('markType_' + tm.markType)), row(t('markText'), tm.markText),
        row(t('colorClaim'), (tm.colorClaim || []).join(', ')), row(t('markDescription'), tm.description))),
      h('h3', {}, t('step_classes')),
      h('ul', {}, (tm.classes || []).map((c) => h('li', {}, h('strong', {}, t('classEntry', { n: c.class })), classHeading(nice, c.class),
        h('ul', {}, c.terms.map((x) => h('li', {}, x)))))),
      similarSection(f)] : null,
    p ? [h('h3', {}, p.type === 'design' ? t('step_subject_design') : t('step_subject')),
      h('table', { class: 'summary' }, h('tbody', {},
        row(t('title'), p.title), row(t('abstract'), p.abstract),
        p.locarnoClass ? row(t('locarnoClass'), h('span', {}, p.locarnoClass, classHeading(locarno, parseInt(p.locarnoClass, 10)))) : null,
        row(p.type === 'design' ? t('designers') : t('inventors'), (p.inventors || []).map((x) => x.name + paren(x.nationality)).join(semi())))),
      p.claims && p.claims.length ? h('ol', { class: 'claims' }, p.claims.map((c) => h('li', {}, c))) : null] : null,
    h('h3', {}, t('step_priority')),
    h('ul', {},
      (f.priorityClaims || []).map((pc) => h('li', {}, pc.office + ' ' + pc.number + ' · ' + pc.date)),
      f.exhibition ? h('li', {}, t('exhibitionTitle') + colon() + f.exhibition.expo + ' · ' + f.exhibition.firstDisplayDate +
        (f.exhibition.booth ? ' · ' + f.exhibition.booth : '') + (f.exhibition.exhibit ? ' · ' + f.exhibition.exhibit : '')) : null,
      !(f.priorityClaims || []).length && !f.exhibition ? h('li', {}, t('noneGiven')) : null),
    h('h3', {}, t('documents')),
    (f.documents || []).length ? h('div', { class: 'doc-images' }, f.documents.map((d) => {
      const link = docs[d.id];
      const label = (d.label ? t('view_' + d.label) : t('role_' + d.role)) + ' · ' + d.contentType + ' · ' + sizeText(d.size);
      if (link && d.contentType.startsWith('image/')) {
        return h('figure', {}, h('img', { src: link.url, alt: label }), h('figcaption', {}, label));
      }
      return h('p', {}, link ? h('a', { href: link.url, target: '_blank', rel: 'noopener' }, t('openDocument') + colon() + label) : label);
    })) : h('p', {}, t('noneGiven')),
    h('h3', {}, t('contact')),
    f.contact ? h('p', {}, [f.contact.name, f.contact.email, f.contact.phone].filter((x) => x).join(' · ')) : null,
    h('h3', {}, t('checksFlagged')),
    (f.warnings || []).length ? h('ul', {}, f.warnings.map((w) => h('li', {}, msg(w) + paren(w.field)))) : h('p', {}, t('noChecks')),
    feesTable(f.fees),
    h('h3', {}, t('history')),
    h('table', { class: 'list history' }, h('tbody', {}, events.map((e) => h('tr', {},
      h('td', {}, e.at.replace('T', ' ').slice(0, 19)), h('td', {}, e.actor + paren(has('actor_' + e.role) ? t('actor_' + e.role) : e.role)), h('td', {}, actionLabel(e.action)),
      h('td', {}, (e.fromState ? stateLabel(e.fromState) + ' → ' : '') + stateLabel(e.toState)),
      h('td', {}, [(e.reasons || []).map((r) => t('reason_' + r.code)).join(', '), e.note].filter((x) => x).join(' · ')))))),
    mailSection(f, notices));
}

// stamp is an instant in the expo's time zone, as the history shows them: "2026-06-23 10:00:02".
function stamp(iso) { return iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: (expo.info && expo.info.timeZone) || undefined }) : ''; }

function attempts(n) { return n === 1 ? t('noticeAttempt') : t('noticeAttempts', { n }); }

// mailSection is what the filing's contact was sent (SPEC §17), when, and what did not go out
// and why; a supervisor may send a message again (the same message: same Message-ID).
function mailSection(f, notices) {
  const sup = (claimsOf(api.token) || {}).role === 'supervisor';
  const resend = async (n, btn) => {
    btn.disabled = true;
    const r = await api.call('POST', '/v1/notifications/' + encodeURIComponent(n.id) + '/resend');
    if (r.status === 202) {
      btn.replaceWith(h('span', { role: 'status' }, t('resendQueued')));
    } else {
      btn.disabled = false;
    }
  };
  return [h('h3', {}, t('mailTitle')),
    notices.length ? h('table', { class: 'list', id: 'mail' }, h('tbody', {}, notices.map((n) => h('tr', { 'data-id': n.id },
      h('td', {}, t('notice_' + n.event)),
      h('td', {}, n.to),
      h('td', {}, t('noticeState_' + n.state)),
      h('td', {}, n.state === 'sent' ? stamp(n.sentAt) : n.state === 'pending' && n.attempts ? t('noticeNext', { time: stamp(n.nextAttemptAt) }) : stamp(n.updatedAt)),
      h('td', {}, [n.attempts > 1 || (n.state !== 'sent' && n.attempts > 0) ? attempts(n.attempts) : '',
        n.state === 'pending' && !n.attempts && !(expo.info && expo.info.notifications && expo.info.notifications.smtp) ? t('noMailServer') : '', n.bounced ? t('noticeBounced') : '', n.state !== 'sent' ? n.lastError || '' : '']
        .filter((x) => x).join(' · ')),
      sup ? h('td', {}, h('button', { type: 'button', class: 'secondary small', 'aria-label': t('resendMail') + ' — ' + t('notice_' + n.event),
        onclick: (e) => resend(n, e.currentTarget) }, t('resendMail'))) : null)))) :
      h('p', {}, f.contact && f.contact.email ? t('outboxEmpty') : t('noMail'))];
}

// similarSection lists the expo's other trademark filings close to f (SPEC §15); the examiner
// holding f's lease confirms or dismisses each, which its history records.
function similarSection(f) {
  if (!f.similarMarks) return null;
  const mine = lease && lease.filing.id === f.id;
  const judge = async (s, verdict) => {
    const r = await api.call('POST', '/v1/filings/' + f.id + '/similar-marks', { leaseToken: lease.leaseToken, filing: s.filingId, verdict });
    if (r.status === 200) {
      lease.filing = r.data;
      save('examinerLease', lease);
      const ev = await api.call('GET', '/v1/filings/' + f.id + '/history').catch(() => null);
      if (ev && ev.status === 200) history = ev.data;
      render();
    } else if (r.status === 409) endLease(t('leaseExpired'));
  };
  return [h('h3', {}, t('similarMarksTitle')),
    f.similarMarks.length ? h('table', { class: 'list', id: 'similar-marks' },
      h('thead', {}, h('tr', {}, [t('filingNumber'), t('markText'), t('similarClasses'), t('similarReason'), t('booth'), t('state'), ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, f.similarMarks.map((s) => h('tr', { 'data-id': s.filingId },
        h('td', {}, s.filingNumber), h('td', {}, h('strong', {}, s.markText)), h('td', {}, s.classes.join(', ')),
        h('td', {}, t('similar_' + s.reason)), h('td', {}, s.booth), h('td', {}, stateLabel(s.state)),
        h('td', {}, s.verdict ? h('span', { class: 'strong' }, t('verdict_' + s.verdict)) : null,
          mine ? h('div', { class: 'row' },
            h('button', { type: 'button', class: 'secondary small', 'data-verdict': 'confirmed', 'aria-label': t('confirmSimilar') + ' — ' + s.filingNumber, onclick: () => judge(s, 'confirmed') }, t('confirmSimilar')),
            h('button', { type: 'button', class: 'secondary small', 'data-verdict': 'dismissed', 'aria-label': t('dismissSimilar') + ' — ' + s.filingNumber, onclick: () => judge(s, 'dismissed') }, t('dismissSimilar'))) : null))))) :
      h('p', {}, t('noSimilarMarks'))];
}

function decisionPanel() {
  const reasonBoxes = REASONS[typeOf(lease.filing)].map((code) => {
    const id = 'reason-' + code;
    return h('label', { for: id, class: 'option' }, h('input', { type: 'checkbox', id, value: code }), h('span', {}, t('reason_' + code)));
  });
  const note = h('textarea', { id: 'note', rows: 2 });
  const err = h('div', { class: 'field-error', id: 'decision-err', role: 'alert' });
  // A decision is shown for UNDO_SECONDS with its reasons before it is sent; Undo (or Escape)
  // in that time sends nothing.
  const decide = (outcome) => {
    if (pending) return;
    const reasons = reasonBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => ({ code: i.value }));
    if (outcome !== 'accept' && reasons.length === 0) {
      err.replaceChildren(h('p', {}, t('reasonNeeded')));
      return;
    }
    err.replaceChildren();
    const body = { leaseToken: lease.leaseToken, outcome, reasons: outcome === 'accept' ? [] : reasons, note: note.value.trim() };
    pending = { outcome, body, filing: lease.filing, at: Date.now() + UNDO_SECONDS * 1000 };
    pending.timer = setTimeout(sendDecision, UNDO_SECONDS * 1000);
    paintPending();
  };
  const leaseButtons = h('div', { class: 'nav-buttons' },
    h('button', {
      type: 'button', class: 'secondary', id: 'extend', onclick: async () => {
        const r = await api.call('POST', '/v1/filings/' + lease.filing.id + '/extend', { leaseToken: lease.leaseToken, seconds: 900 });
        if (r.status === 200) { lease.leaseExpiresAt = r.data.leaseExpiresAt; save('examinerLease', lease); } else if (r.status === 409) endLease(t('leaseExpired'));
      },
    }, t('extend')),
    h('button', {
      type: 'button', class: 'secondary', id: 'release', onclick: async () => {
        await api.call('POST', '/v1/filings/' + lease.filing.id + '/release', { leaseToken: lease.leaseToken });
        endLease();
      },
    }, t('release')));
  // The decision's buttons come right after the reasons and note they take, above the lease's
  // own buttons, so that all of it is in view beside the filing on a 1280×800 screen.
  return h('section', { class: 'card', 'aria-labelledby': 'decide-title', id: 'decision' },
    h('div', { class: 'decision-head' }, h('h2', { id: 'decide-title' }, t('decision')),
      h('p', { id: 'countdown', class: 'countdown', role: 'timer', 'aria-live': 'off' })),
    // A decision waiting out its undo time shows here, at the top, where Undo is always in view.
    h('div', { id: 'pending', role: 'status', 'aria-live': 'polite' }),
    h('fieldset', { class: 'group reasons' }, h('legend', {}, t('reasons')), reasonBoxes),
    h('div', { class: 'field' }, h('label', { for: 'note' }, t('note')), note),
    err,
    h('div', { class: 'nav-buttons' },
      h('button', { type: 'button', class: 'primary', id: 'accept', 'aria-keyshortcuts': 'a', onclick: () => decide('accept') }, t('accept'), h('kbd', {}, 'a')),
      h('button', { type: 'button', class: 'secondary', id: 'reject', 'aria-keyshortcuts': 'r', onclick: () => decide('reject') }, t('reject'), h('kbd', {}, 'r')),
      h('button', { type: 'button', class: 'secondary', id: 'correction', 'aria-keyshortcuts': 'c', onclick: () => decide('request_correction') }, t('requestCorrection'), h('kbd', {}, 'c'))),
    h('p', { class: 'help' }, t('shortcuts')),
    leaseButtons);
}

// pending is a decision waiting out its undo time: {outcome, body, filing, at, timer}.
const UNDO_SECONDS = 5;
let pending = null;

function paintPending() {
  const el = document.getElementById('pending');
  const buttons = ['accept', 'reject', 'correction'].map((id) => document.getElementById(id)).filter((b) => b);
  buttons.forEach((b) => { b.disabled = !!pending; });
  if (!el) return;
  if (!pending) { el.replaceChildren(); return; }
  const left = Math.max(0, Math.ceil((pending.at - Date.now()) / 1000));
  const reasons = pending.body.reasons.map((r) => t('reason_' + r.code));
  el.replaceChildren(h('div', { class: 'pending-decision' },
    h('p', { class: 'strong' }, t('decisionPending', { outcome: t('outcome_' + pending.outcome), number: pending.filing.filingNumber, n: left })),
    reasons.length ? h('ul', {}, reasons.map((r) => h('li', {}, r))) : null,
    pending.body.note ? h('p', {}, t('note') + colon() + pending.body.note) : null,
    h('button', { type: 'button', class: 'secondary', id: 'undo', 'aria-keyshortcuts': 'Escape', onclick: undoDecision }, t('undo'), h('kbd', {}, 'Esc'))));
  const undo = document.getElementById('undo');
  if (undo && document.activeElement && buttons.includes(document.activeElement)) undo.focus();
}

function undoDecision() {
  if (!pending) return;
  clearTimeout(pending.timer);
  pending = null;
  message = { text: t('decisionUndone'), cls: '' };
  render();
  const b = document.getElementById('accept');
  if (b) b.focus();
}

async function sendDecision() {
  const p = pending;
  if (!p || !lease || lease.filing.id !== p.filing.id) { pending = null; return; }
  const r = await api.call('POST', '/v1/filings/' + p.filing.id + '/decision', p.body);
  pending = null;
  if (r.status === 200) {
    message = { text: p.filing.filingNumber + colon() + t('decided', { outcome: t('outcome_' + p.outcome) }), cls: 'ok' };
    endLease();
    return;
  }
  paintPending();
  const err = document.getElementById('decision-err');
  if (err) err.replaceChildren(...((r.data && r.data.errors) || [{ message: 'HTTP ' + r.status }]).map((e) => h('p', {}, msg(e))));
  if (r.status === 409) endLease(t('leaseExpired'));
}

function endLease(text) {
  if (pending) { clearTimeout(pending.timer); pending = null; }
  if (text) message = { text, cls: 'error-text' };
  lease = null;
  save('examinerLease', null);
  render();
  refreshQueues();
}

function paintCountdown() {
  const el = document.getElementById('countdown');
  // Until the server's clock is known, this device's clock says nothing about the lease.
  if (!el || !lease || !expo.synced) return;
  const left = Math.max(0, Math.round((Date.parse(lease.leaseExpiresAt) - serverNow()) / 1000));
  const mm = Math.floor(left / 60);
  const ss = String(left % 60).padStart(2, '0');
  el.textContent = t('leaseLeft', { time: mm + ':' + ss });
  el.classList.toggle('low', left < 120);
  if (left === 0) endLease(t('leaseExpired'));
}

const STATES = ['queued', 'in_review', 'correction_requested', 'accepted', 'rejected', 'withdrawn', 'deemed_withdrawn'];
const KINDS = ['trademark', 'patent', 'invention', 'utility_model', 'design'];

function applicantOf(f) { return ((f.applicants || [])[0] || {}).name || ''; }

// The columns of the results: label, value for sorting, cell.
const COLUMNS = [
  { key: 'number', label: () => t('filingNumber'), value: (f) => f.filingNumber },
  { key: 'subject', label: () => t('markOrTitle'), value: (f) => subjectOf(f) },
  { key: 'type', label: () => t('kind'), value: (f) => t('type_' + typeOf(f)) },
  { key: 'applicant', label: () => t('applicantCol'), value: applicantOf },
  { key: 'booth', label: () => t('booth'), value: (f) => f.booth || '' },
  { key: 'state', label: () => t('state'), value: (f) => stateLabel(f.state) },
  { key: 'date', label: () => t('filingDate'), value: (f) => f.filedAt || '' },
];

function select(id, label, value, options, optLabel, anyLabel) {
  return h('div', { class: 'field' }, h('label', { for: id }, label),
    h('select', { id, name: id },
      h('option', { value: '' }, anyLabel),
      options.map((o) => h('option', { value: o, selected: o === value }, optLabel(o)))));
}

function searchPanel() {
  const form = h('form', { id: 'search-form', role: 'search', 'aria-label': t('findFiling') },
    h('div', { class: 'field' }, h('label', { for: 'q' }, t('searchWords')),
      h('input', { type: 'search', id: 'q', name: 'q', value: find.q, autocomplete: 'off', 'aria-describedby': 'q-help', maxlength: 200 }),
      h('p', { class: 'help', id: 'q-help' }, t('searchHelp'))),
    h('div', { class: 'filters' },
      select('f-state', t('state'), find.state, STATES, stateLabel, t('anyState')),
      select('f-queue', t('queue'), find.queue, queues.map((q) => q.name), queueName, t('anyQueue')),
      select('f-kind', t('kind'), find.kind, KINDS, (k) => t(k === 'patent' ? 'anyPatent' : 'type_' + k), t('anyKind')),
      h('div', { class: 'field' }, h('label', { for: 'f-from' }, t('dateFrom')), h('input', { type: 'date', id: 'f-from', value: find.from })),
      h('div', { class: 'field' }, h('label', { for: 'f-to' }, t('dateTo')), h('input', { type: 'date', id: 'f-to', value: find.to }))),
    h('div', { class: 'nav-buttons' },
      h('button', { type: 'submit', class: 'primary', id: 'search', disabled: searching }, t('search')),
      h('button', {
        type: 'button', class: 'secondary', id: 'clear-search', onclick: () => {
          find = { q: '', state: '', queue: '', kind: '', from: '', to: '' };
          save('examinerSearch', find);
          results = null;
          render();
        },
      }, t('clearSearch'))),
    // The export for the IP office (SPEC §13): the filters above (not the words), in a format.
    h('div', { class: 'export-row' },
      h('label', { for: 'export-format' }, t('exportFormat')),
      h('select', { id: 'export-format' }, [['csv', 'CSV (Excel)'], ['xlsx', 'XLSX'], ['st96', 'WIPO ST.96 XML']].map(([v, l]) => h('option', { value: v }, l))),
      h('button', { type: 'button', class: 'secondary', id: 'export', onclick: exportFilings }, t('exportButton')),
      h('span', { id: 'export-status', role: 'status' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    syncFind();
    find.q = find.q.trim();
    save('examinerSearch', find);
    runSearch(false);
  });
  return h('section', { class: 'card', 'aria-labelledby': 'find-title', id: 'find' },
    h('h2', { id: 'find-title' }, t('findFiling')), form, resultsView());
}

// exportFilings downloads the export of the expo's filings the filters select (the token goes
// in the header, so the file comes through fetch, then is saved).
async function exportFilings() {
  syncFind();
  const params = new URLSearchParams({ format: document.getElementById('export-format').value });
  for (const k of ['state', 'queue', 'from', 'to']) if (find[k]) params.set(k, find[k]);
  const status = document.getElementById('export-status');
  status.textContent = t('exporting');
  const r = await fetch('/v1/exports/filings?' + params, { headers: { Authorization: 'Bearer ' + api.token } }).catch(() => null);
  if (!r || !r.ok) { status.textContent = r ? 'HTTP ' + r.status : t('offline'); return; }
  const name = ((r.headers.get('Content-Disposition') || '').match(/filename="([^"]+)"/) || [])[1] || 'filings';
  const a = h('a', { href: URL.createObjectURL(await r.blob()), download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  status.textContent = t('exported', { name });
}

async function runSearch(more) {
  if (searching) return;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(find)) if (v) params.set(k, v);
  params.set('limit', '50');
  if (more && results && results.nextCursor) params.set('cursor', results.nextCursor);
  searching = true;
  let r;
  try {
    r = await api.call('GET', '/v1/filings?' + params.toString());
  } finally {
    searching = false;
  }
  searchSeq++;
  if (r.status === 200) {
    results = more && results ? { items: results.items.concat(r.data.items), nextCursor: r.data.nextCursor } : r.data;
    message = null;
  } else {
    results = { items: [], nextCursor: '', error: ((r.data && r.data.errors) || [{ message: (r.data && r.data.detail) || 'HTTP ' + r.status }]).map(msg).join(' ') };
  }
  render();
  const target = document.getElementById(more ? 'more-results' : 'results-count');
  if (target) target.focus();
}

function sortedResults() {
  const items = results.items.slice();
  const col = COLUMNS.find((c) => c.key === sort.key);
  if (col) items.sort((a, b) => sort.dir * String(col.value(a)).localeCompare(String(col.value(b)), undefined, { numeric: true }));
  return items;
}

function resultsView() {
  if (!results) return null;
  if (results.error) return h('p', { class: 'error-text search-results', role: 'alert', id: 'results-count', tabindex: '-1', 'data-seq': String(searchSeq) }, results.error);
  const head = h('tr', {}, COLUMNS.map((c) => {
    const active = sort.key === c.key;
    return h('th', { scope: 'col', 'aria-sort': active ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none' },
      h('button', {
        type: 'button', class: 'sort', 'data-sort': c.key, onclick: () => {
          sort = { key: c.key, dir: active ? -sort.dir : 1 };
          render();
          const b = document.querySelector('button[data-sort="' + c.key + '"]');
          if (b) b.focus();
        },
      }, c.label(), h('span', { 'aria-hidden': 'true' }, active ? (sort.dir > 0 ? ' ▲' : ' ▼') : '')));
  }));
  return h('div', { class: 'search-results', 'data-seq': String(searchSeq) },
    h('p', { id: 'results-count', tabindex: '-1', role: 'status' },
      results.items.length ? t(results.nextCursor ? 'resultsMore' : 'results', { n: results.items.length }) : t('noResults')),
    results.items.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'list results-table' },
      h('thead', {}, head),
      h('tbody', {}, sortedResults().map((f) => h('tr', { 'data-id': f.id },
        h('td', {}, h('a', { href: '#filing/' + f.id, onclick: (e) => { e.preventDefault(); openFiling(f.id); } }, f.filingNumber)),
        h('td', {}, subjectOf(f)),
        h('td', {}, t('type_' + typeOf(f))),
        h('td', {}, applicantOf(f)),
        h('td', {}, f.booth || ''),
        h('td', {}, stateLabel(f.state)),
        h('td', {}, f.filingDate || '')))))) : null,
    results.nextCursor ? h('button', { type: 'button', class: 'secondary', id: 'more-results', onclick: () => runSearch(true) }, t('moreResults')) : null);
}

async function openFiling(id) {
  const [fr, hr, mr] = await Promise.all([api.call('GET', '/v1/filings/' + id), api.call('GET', '/v1/filings/' + id + '/history'),
    api.call('GET', '/v1/filings/' + id + '/notifications')]);
  if (fr.status !== 200) {
    message = { text: t('error', { why: (fr.data && fr.data.detail) || fr.status }), cls: 'error-text' };
    render();
    return;
  }
  viewing = { filing: fr.data, history: hr.status === 200 ? hr.data : [], mail: mr.status === 200 ? mr.data.items : [] };
  render();
  const h2 = document.querySelector('#filing h2');
  if (h2) h2.focus();
}

function closeFiling() {
  const id = viewing && viewing.filing.id;
  viewing = null;
  render();
  const link = id && document.querySelector('tr[data-id="' + id + '"] a');
  if (link) link.focus();
}

// syncFind keeps what the examiner has typed in the search form across a re-render.
function syncFind() {
  const q = document.getElementById('q');
  if (!q) return;
  const v = (id) => document.getElementById(id).value.trim();
  find = { q: q.value, state: v('f-state'), queue: v('f-queue'), kind: v('f-kind'), from: v('f-from'), to: v('f-to') };
}

function render() {
  document.title = t('consoleTitle');
  syncFind();
  if (!api.token) { setupScreen(); return; }
  setupProblem = '';
  const status = message ? h('p', { class: message.cls || '', role: 'status' }, message.text) : null;
  if (lease) {
    // The filing to read on the left, the decision beside it (it stays in view while the filing
    // scrolls), the queues under the decision.
    screen(h('div', { class: 'cols leased' },
      h('section', { class: 'card filing-card' }, filingView(lease.filing)),
      h('div', { class: 'side' }, decisionPanel(), status, h('div', { id: 'queues-panel' }, queuesPanel()))));
  } else if (viewing) {
    // A filing opened from the search: to read, not to decide (deciding takes a lease).
    screen(h('div', { class: 'cols leased' },
      h('section', { class: 'card filing-card' }, filingView(viewing.filing, viewing.history, viewing.mail)),
      h('div', { class: 'side' },
        h('section', { class: 'card', 'aria-labelledby': 'readonly-title' },
          h('h2', { id: 'readonly-title' }, t('readOnly')),
          h('p', {}, t('readOnlyHelp')),
          h('button', { type: 'button', class: 'primary', id: 'back-to-list', onclick: closeFiling }, t('backToList'))),
        status, h('div', { id: 'queues-panel' }, queuesPanel()))));
  } else {
    screen(h('div', { class: 'cols browse' }, h('div', {}, h('div', { id: 'queues-panel' }, queuesPanel()), status), searchPanel()));
  }
  paintCountdown();
  paintPending();
}

document.addEventListener('keydown', (e) => {
  if (pending && e.key === 'Escape') {
    e.preventDefault();
    undoDecision();
    return;
  }
  if (viewing && !lease && e.key === 'Escape') {
    e.preventDefault();
    closeFiling();
    return;
  }
  if (!lease || pending || e.ctrlKey || e.metaKey || e.altKey) return;
  const tag = (e.target && e.target.tagName) || '';
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(tag) && e.target.type !== 'checkbox' && e.target.type !== 'radio') return;
  const id = { a: 'accept', r: 'reject', c: 'correction' }[e.key.toLowerCase()];
  if (id) {
    e.preventDefault();
    document.getElementById(id).click();
  }
});

api.onUnauthorized = (code) => { api.setToken(''); setupScreen(unauthorizedKey(code)); };

let started = false;
async function start() {
  render();
  [, nice, locarno] = await Promise.all([loadExpo(api.token), loadReference('nice', api.token), loadReference('locarno', api.token)]);
  if (lease) {
    // A reload keeps the lease if the filing is still ours.
    const r = await api.call('GET', '/v1/filings/' + lease.filing.id);
    if (r.status === 200 && r.data.state === 'in_review' && r.data.lease && r.data.lease.examiner === (claimsOf(api.token) || {}).sub) {
      lease.filing = r.data;
      await loadFilingExtras();
    } else {
      lease = null;
      save('examinerLease', null);
    }
  }
  await refreshQueues();
  render();
  if (!started) {
    started = true;
    setInterval(refreshQueues, 5000);
    setInterval(() => { paintCountdown(); if (pending) paintPending(); }, 1000);
  }
}

// arrive sends a person to their page: officers work at the complaint desk; a supervisor set
// up from a set-up link (the organiser) starts at the enrolment screen.
function arrive(fromLink) {
  const role = (claimsOf(api.token) || {}).role;
  if (role === 'officer') location.href = '/examiner/complaints/';
  else if (role === 'supervisor' && fromLink) location.href = '/examiner/enrolment/';
  else start();
}

(async () => {
  const linked = /setup=/.test(location.hash);
  const problem = await takeSetupLink(api);
  if (problem) setupScreen(problem);
  else if (api.token) arrive(linked);
  else render();
})();
