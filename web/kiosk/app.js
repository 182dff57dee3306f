// The kiosk: a step-by-step filing wizard per filing type, checked live against the server,
// kept as a draft on the kiosk as it is typed, and filed with one Idempotency-Key per draft,
// retried until the server answers.
import { t, lang, initLang, msg, both, has } from './i18n.js';
import {
  h, load, save, claimsOf, Client, expo, expoLabel, loadExpo, applyContrast, contrastButton, colon, paren, semi, loadReference, heading, sizeText, sleep, randomKey,
  langButton, stateLabel, typeOf, subjectOf, feesTable, typeByName, put, deadlineText,
} from './common.js';
import { sha256hex } from './sha256.js';

initLang();
applyContrast();
const api = new Client('token');
const app = document.getElementById('app');
const status = document.getElementById('status');
let nice = [];
let locarno = [];
let places = { countries: [], offices: [] }; // GET /v1/reference/countries

// ---------------------------------------------------------------------------------------------
// Draft: what the exhibitor has entered, in form shape, kept on the kiosk at every keystroke.

const STEPS = {
  trademark: ['applicants', 'mark', 'classes', 'priority', 'documents', 'contact', 'review'],
  invention: ['applicants', 'subject', 'priority', 'documents', 'contact', 'review'],
  utility_model: ['applicants', 'subject', 'priority', 'documents', 'contact', 'review'],
  design: ['applicants', 'subject', 'priority', 'documents', 'contact', 'review'],
};

const ROLES = {
  trademark: ['power_of_attorney', 'priority_document', 'exhibition_evidence', 'id_document'],
  invention: ['description', 'claims', 'drawings', 'power_of_attorney', 'priority_document', 'exhibition_evidence', 'id_document'],
  utility_model: ['drawings', 'description', 'claims', 'power_of_attorney', 'priority_document', 'exhibition_evidence', 'id_document'],
  design: ['views', 'power_of_attorney', 'priority_document', 'exhibition_evidence', 'id_document'],
};
const REQUIRED_ROLE = { utility_model: 'drawings', design: 'views' };
const IMAGE_MARKS = ['figurative', 'combined', 'three_dimensional', 'color'];
// Marks that may designate colours (a colour mark must).
const COLOUR_MARKS = ['figurative', 'combined', 'three_dimensional', 'color'];

let draft = load('draft', null);

function emptyApplicant() {
  return { name: '', kind: 'organization', nationality: '', domicile: '', address: '', idNumber: '' };
}

function newDraft(type) {
  const form = {
    applicants: [emptyApplicant()], agent: { name: '', agencyCode: '' },
    priority: [], exhibition: { on: false, expo: '', firstDisplayDate: '', booth: '', exhibit: '', certificate: '' },
    attachments: [], contact: { name: '', email: '', phone: '' }, language: lang(),
  };
  if (type === 'trademark') {
    form.trademark = { markType: 'word', markText: '', colorClaim: '', description: '', classes: [] };
  } else {
    form.patent = { type, title: '', abstract: '', claims: '', locarnoClass: '', briefDescription: '', inventors: [{ name: '', nationality: '' }] };
  }
  return { key: 'draft-' + randomKey(), mode: 'new', type, step: 0, form, uploads: {}, touched: {}, visited: {} };
}

// draftFromFiling starts an amendment: the filing's content in form shape.
function draftFromFiling(f) {
  const type = typeOf(f);
  const d = newDraft(type);
  d.mode = 'amend';
  d.filingId = f.id;
  d.filingNumber = f.filingNumber;
  d.reasons = (f.decision && f.decision.reasons) || [];
  d.note = (f.decision && f.decision.note) || '';
  const fm = d.form;
  fm.applicants = (f.applicants || []).map((a) => ({ ...emptyApplicant(), ...a }));
  if (f.agent) fm.agent = { ...f.agent };
  fm.priority = (f.priorityClaims || []).map((p) => ({ ...p }));
  if (f.exhibition) fm.exhibition = { on: true, booth: '', exhibit: '', ...f.exhibition };
  fm.attachments = [...(f.attachments || [])];
  for (const doc of f.documents || []) {
    d.uploads[doc.id] = { role: doc.role, name: doc.role + ' · ' + sizeText(doc.size), size: doc.size, contentType: doc.contentType };
  }
  fm.contact = { name: '', email: '', phone: '', ...(f.contact || {}) };
  fm.language = f.language || lang();
  if (f.trademark) {
    const tm = f.trademark;
    fm.trademark = {
      markType: tm.markType, markText: tm.markText || '', colorClaim: (tm.colorClaim || []).join(', '),
      description: tm.description || '',
      classes: (tm.classes || []).map((c) => ({ class: String(c.class), terms: (c.terms || []).join('\n') })),
    };
  } else if (f.patent) {
    const p = f.patent;
    fm.patent = {
      type: p.type, title: p.title || '', abstract: p.abstract || '', claims: (p.claims || []).join('\n\n'),
      locarnoClass: p.locarnoClass || '', briefDescription: p.briefDescription || '',
      inventors: (p.inventors || []).map((x) => ({ ...x })),
    };
  }
  for (const s of STEPS[type]) d.visited[s] = true; // the examiner's reasons apply everywhere
  return d;
}

function saveDraft() { save('draft', draft); }

function lines(s) { return String(s || '').split('\n').map((x) => x.trim()).filter((x) => x !== ''); }

function paragraphs(s) {
  return String(s || '').split(/\n\s*\n/).map((x) => x.replace(/\s+/g, ' ').trim()).filter((x) => x !== '');
}

function opt(v) { return v === '' || v === undefined || v === null ? undefined : v; }

// flat: a text field's line breaks as spaces (control characters are refused by the server).
function flat(s) { return String(s || '').replace(/\s+/g, ' ').trim(); }

// agentNeeded: the first-named applicant is neither a national of mainland China nor domiciled
// there (SPEC agent_required; HK, MO and TW are other codes).
function agentNeeded(fm) {
  const a = fm.applicants[0];
  return !!a && a.nationality.trim().toUpperCase() !== 'CN' && a.domicile.trim().toUpperCase() !== 'CN';
}

// toRequest turns the form into the API's filing request: only the fields the type allows.
function toRequest(d) {
  const fm = d.form;
  const r = {
    kind: d.type === 'trademark' ? 'trademark' : 'patent',
    applicants: fm.applicants.map((a) => ({
      name: a.name.trim(), kind: a.kind, nationality: a.nationality.trim().toUpperCase(),
      domicile: a.domicile.trim().toUpperCase(), address: flat(a.address), idNumber: opt(a.idNumber.trim()),
    })),
    contact: { name: fm.contact.name.trim(), email: opt(fm.contact.email.trim()), phone: opt(fm.contact.phone.trim()) },
    language: fm.language,
  };
  if (agentNeeded(fm) && (fm.agent.name.trim() || fm.agent.agencyCode.trim())) {
    r.agent = { name: fm.agent.name.trim(), agencyCode: opt(fm.agent.agencyCode.trim()) };
  }
  if (fm.priority.length) {
    r.priorityClaims = fm.priority.map((p) => ({ office: p.office.trim().toUpperCase(), number: p.number.trim(), date: p.date }));
  }
  if (fm.exhibition.on) {
    const x = fm.exhibition;
    r.exhibition = { expo: x.expo, firstDisplayDate: x.firstDisplayDate, booth: opt(x.booth.trim()), exhibit: opt(x.exhibit.trim()), certificate: opt(x.certificate || '') };
  }
  if (fm.attachments.length) r.attachments = [...fm.attachments];
  if (d.type === 'trademark') {
    const tm = fm.trademark;
    r.trademark = {
      markType: tm.markType,
      markText: ['word', 'combined', 'three_dimensional'].includes(tm.markType) ? opt(tm.markText.trim()) : undefined,
      colorClaim: COLOUR_MARKS.includes(tm.markType) ? opt(tm.colorClaim.split(/[,，、]/).map((x) => x.trim()).filter((x) => x)) : undefined,
      description: opt(flat(tm.description)),
      classes: tm.classes.map((c) => ({ class: parseInt(c.class, 10) || 0, terms: lines(c.terms) })),
    };
  } else {
    const p = fm.patent;
    r.patent = {
      type: p.type, title: p.title.trim(),
      inventors: p.inventors.map((x) => ({ name: x.name.trim(), nationality: x.nationality.trim().toUpperCase() })),
    };
    if (p.type === 'design') {
      r.patent.locarnoClass = p.locarnoClass;
      r.patent.briefDescription = flat(p.briefDescription);
    } else {
      r.patent.abstract = flat(p.abstract);
      r.patent.claims = paragraphs(p.claims);
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Live checking: POST /v1/validate with the whole draft, shortly after each change.

const check = { seq: 0, problems: [], warnings: [], fees: null, valid: false, pending: false, done: false };
let checkTimer = null;

function validateSoon(delay = 400) {
  clearTimeout(checkTimer);
  check.pending = true;
  paintCheck();
  checkTimer = setTimeout(runValidate, delay);
}

async function runValidate() {
  if (!draft) return;
  const seq = ++check.seq;
  let r;
  try {
    r = await api.call('POST', '/v1/validate', toRequest(draft));
  } catch (_) {
    check.pending = false;
    paintCheck();
    return; // offline: the last answer stands, the draft is kept
  }
  if (seq !== check.seq || !draft) return;
  check.pending = false;
  check.done = true;
  if (r.status === 200) {
    Object.assign(check, { problems: [], warnings: r.data.warnings || [], fees: r.data.fees, valid: true });
  } else if (r.status === 422) {
    Object.assign(check, { problems: r.data.errors || [], warnings: r.data.warnings || [], fees: r.data.fees || check.fees, valid: false });
  } else {
    check.valid = false;
  }
  kioskRules();
  paintCheck();
}

// kioskRules adds what the kiosk asks for beyond the server's rules: when an agency files for
// the applicants, its power of attorney (the office would otherwise request it as a correction).
function kioskRules() {
  const fm = draft.form;
  const hasPoa = fm.attachments.some((a) => draft.uploads[a] && draft.uploads[a].role === 'power_of_attorney');
  if (agentNeeded(fm) && !hasPoa) {
    const [en, zh] = both('poaRequired');
    check.problems = [...check.problems, { field: '/attachments', code: 'power_of_attorney_required', message: en, message_zh: zh }];
    check.valid = false;
  }
}

// fieldName is the label of the field a problem is at ("Address", "Applicant 2 — Name"), or ''
// when the pointer names no single field.
const FIELD_KEYS = { number: 'priorityNumber', date: 'priorityDate', class: 'classNumber', agencyCode: 'agencyCode' };
function fieldName(ptr) {
  const parts = (ptr || '').split('/').filter((x) => x);
  const last = parts[parts.length - 1];
  if (!last || /^\d+$/.test(last)) return '';
  let key = FIELD_KEYS[last] || last;
  if (last === 'name') key = { contact: 'contactName', agent: 'agentName' }[parts[0]] || 'name';
  if (!has(key)) return '';
  const many = parts[0] === 'applicants' && draft && draft.form.applicants.length > 1;
  return (many ? t('applicant', { n: +parts[1] + 1 }) + ' — ' : '') + t(key);
}

// stepOf says which step a problem belongs to.
function stepOf(p) {
  const f = p.field || '';
  const m = f.match(/^\/attachments\/(\d+)/);
  if (m) {
    const u = draft.uploads[draft.form.attachments[+m[1]]];
    return u && u.role === 'mark_image' ? 'mark' : 'documents';
  }
  if (f === '/attachments') return p.code === 'mark_image_required' ? 'mark' : 'documents';
  if (f.startsWith('/applicants') || f.startsWith('/agent')) return 'applicants';
  if (f.startsWith('/trademark/classes')) return 'classes';
  if (f.startsWith('/trademark')) return 'mark';
  if (f.startsWith('/patent')) return 'subject';
  if (f.startsWith('/priorityClaims') || f.startsWith('/exhibition')) return 'priority';
  if (f.startsWith('/contact') || f.startsWith('/language')) return 'contact';
  return 'review';
}

// ---------------------------------------------------------------------------------------------
// Fields: each input knows the JSON Pointer its problems come at, and shows them beside it.

let onScreen = []; // {match(p), err, input, ptr} of the current step

function fieldId(ptr) { return 'f' + ptr.replace(/[^A-Za-z0-9]+/g, '-'); }

function register(ptr, err, input, match) {
  onScreen.push({ ptr, err, input, match: match || ((p) => p.field === ptr || p.field.startsWith(ptr + '/')) });
}

function touch(ptr) {
  if (!draft.touched[ptr]) {
    draft.touched[ptr] = true;
    saveDraft();
  }
}

function changed(ptr) {
  touch(ptr);
  saveDraft();
  validateSoon();
}

// input is a labelled text input (or textarea) bound to get/set on the draft.
function input({ ptr, label, get, set, type = 'text', help, rows, autocomplete, inputmode, maxlength, optional, upper, attrs }) {
  const id = fieldId(ptr);
  const err = h('div', { class: 'field-error', id: id + '-err', 'aria-live': 'polite' });
  const helpEl = help ? h('p', { class: 'help', id: id + '-help' }, help) : null;
  const tag = rows ? 'textarea' : 'input';
  const el = h(tag, {
    id, name: ptr, type: rows ? undefined : type, rows, autocomplete: autocomplete || 'off', inputmode, maxlength,
    'aria-describedby': [helpEl ? id + '-help' : '', id + '-err'].filter((x) => x).join(' '), spellcheck: rows ? 'true' : 'false',
    autocapitalize: upper ? 'characters' : undefined, ...(attrs || {}),
  });
  el.value = get() || '';
  el.addEventListener('input', () => { set(el.value); changed(ptr); });
  el.addEventListener('blur', (e) => {
    touch(ptr);
    // Problems appear under the field left, which moves what is below: never under a finger
    // that is pressing a button (the press would end elsewhere and the tap be lost).
    const to = e.relatedTarget;
    if (!(to && to.closest && to.closest('button, a'))) setTimeout(paintCheck, 200);
  });
  register(ptr, err, el);
  return h('div', { class: 'field' },
    h('label', { for: id }, label, optional ? h('span', { class: 'tag' }, paren(t('optional'))) : null),
    helpEl, el, err);
}

// Names people type that are not the country's name in CLDR (matched after normalising).
const PLACE_ALIASES = {
  uk: 'GB', britain: 'GB', 'great britain': 'GB', england: 'GB', scotland: 'GB', wales: 'GB', usa: 'US', america: 'US',
  'united states of america': 'US', holland: 'NL', korea: 'KR', 'republic of korea': 'KR', russia: 'RU', turkey: 'TR',
  'czech republic': 'CZ', persia: 'IR', burma: 'MM', 'ivory coast': 'CI',
};

// norm folds case, accents and spacing, so that "türkiye", "Turkiye " and "TÜRKIYE" meet.
function norm(s) {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

// withChinese puts the word 中文 into an English text where {zh} stands, marked as Chinese.
function withChinese(text) {
  const [before, after] = text.split('{zh}');
  return after === undefined ? [before] : [before, h('span', { lang: 'zh' }, '中文'), after];
}

function placeOf(code) {
  return places.countries.find((c) => c.code === code) || places.offices.find((c) => c.code === code);
}

// placeLabel is how a chosen code reads: "Germany (DE)", "德国（DE）".
function placeLabel(code) {
  const c = placeOf(code);
  if (!c) return code;
  return lang() === 'zh' ? c.name_zh + '（' + c.code + '）' : c.name + paren(c.code);
}

// placeOptions ranks the countries (and, for a priority office, the ST.3 offices) that a query
// names: the code or a whole name first, then names that start with it, then names with a word
// that starts with it, then names that contain it. Nothing is chosen by this: it only offers.
function placeOptions(query, withOffices) {
  const q = norm(query);
  if (!q) return [];
  const all = withOffices ? [...places.countries, ...places.offices] : places.countries;
  const alias = PLACE_ALIASES[q];
  const ranked = [];
  for (const c of all) {
    const en = norm(c.name);
    const zh = c.name_zh;
    let r = -1;
    if (q === c.code.toLowerCase() || q === en || q === zh || alias === c.code) r = 0;
    else if (en.startsWith(q) || zh.startsWith(q)) r = 1;
    else if (en.split(/[\s,()-]+/).some((w) => w.startsWith(q))) r = 2;
    else if (en.includes(q) || zh.includes(q)) r = 3;
    if (r >= 0) ranked.push([r, c]);
  }
  const name = (c) => (lang() === 'zh' ? c.name_zh : c.name);
  ranked.sort((a, b) => a[0] - b[0] || name(a[1]).localeCompare(name(b[1]), lang()));
  return ranked.slice(0, 8).map(([, c]) => c);
}

// placePicker is a searchable country (or office) field: typing a name in either language or
// a code offers matches, and only choosing one (tap, Enter) sets the code; typed text alone
// never becomes a code, except the code itself, which is shown with its name when the field
// is left.
function placePicker({ ptr, label, get, set, offices }) {
  const id = fieldId(ptr);
  const listId = id + '-list';
  const err = h('div', { class: 'field-error', id: id + '-err', 'aria-live': 'polite' });
  const hint = h('p', { class: 'help', id: id + '-help' }, offices ? t('officeHelp') : t('placeHelp'));
  const el = h('input', {
    id, name: ptr, type: 'text', role: 'combobox', autocomplete: 'off', spellcheck: 'false', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': listId, 'aria-describedby': id + '-help ' + id + '-err',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'picker-list', 'aria-label': label, hidden: true });
  let opts = [];
  let active = -1;
  el.value = get() ? placeLabel(get()) : '';
  const paint = () => {
    list.replaceChildren(...opts.map((o, i) => h('li', {
      id: listId + '-' + i, role: 'option', 'aria-selected': i === active ? 'true' : 'false', class: i === active ? 'active' : '',
      onpointerdown: (e) => { e.preventDefault(); pick(o); },
    }, placeLabel(o.code))));
    list.hidden = !opts.length;
    el.setAttribute('aria-expanded', opts.length ? 'true' : 'false');
    if (active >= 0) el.setAttribute('aria-activedescendant', listId + '-' + active);
    else el.removeAttribute('aria-activedescendant');
  };
  const unchosen = (on) => {
    hint.textContent = on ? t('pickFromList') : (offices ? t('officeHelp') : t('placeHelp'));
    hint.classList.toggle('bad', on);
  };
  const pick = (o) => {
    set(o.code);
    el.value = placeLabel(o.code);
    opts = [];
    active = -1;
    paint();
    unchosen(false);
    changed(ptr);
  };
  el.addEventListener('input', () => {
    if (get()) set('');
    opts = placeOptions(el.value, offices);
    active = opts.length ? 0 : -1;
    paint();
    unchosen(false);
    changed(ptr);
  });
  el.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!opts.length) opts = placeOptions(el.value, offices);
      if (!opts.length) return;
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : opts.length - 1)) % opts.length;
      paint();
    } else if (e.key === 'Enter' && active >= 0 && opts.length) {
      e.preventDefault();
      pick(opts[active]);
    } else if (e.key === 'Escape' && opts.length) {
      opts = [];
      active = -1;
      paint();
    }
  });
  el.addEventListener('blur', () => {
    const typed = el.value.trim();
    opts = [];
    active = -1;
    paint();
    if (!get() && typed) {
      const exact = placeOf(typed.toUpperCase());
      if (exact && (offices || places.countries.includes(exact))) pick(exact); // the code itself, shown with its name
      else unchosen(true);
    }
    touch(ptr);
    setTimeout(paintCheck, 200);
  });
  register(ptr, err, el);
  return h('div', { class: 'field picker' }, h('label', { for: id }, label), hint, el, list, err);
}

// choice is a group of large radio buttons.
function choice({ ptr, legend, options, get, set, onchange }) {
  const id = fieldId(ptr);
  const err = h('div', { class: 'field-error', id: id + '-err', 'aria-live': 'polite' });
  const group = h('fieldset', { class: 'choice', 'aria-describedby': id + '-err' }, h('legend', {}, legend),
    options.map(([value, label], i) => {
      const rid = id + '-' + i;
      const r = h('input', { type: 'radio', id: rid, name: id, value, checked: get() === value });
      r.addEventListener('change', () => {
        if (!r.checked) return;
        set(value);
        changed(ptr);
        if (onchange) onchange();
      });
      return h('label', { for: rid, class: 'option' }, r, h('span', {}, label));
    }), err);
  register(ptr, err, group);
  return group;
}

// hintLine is a similar-mark hint, the registered mark's text marked with its own language.
function hintLine(w) {
  const parts = msg(w).split(w.similar.text);
  const mark = h('span', { lang: /[\u3400-\u9fff]/.test(w.similar.text) ? 'zh' : 'en' }, w.similar.text);
  return h('p', { class: 'field-warning' }, '⚠ ', parts[0], parts.length > 1 ? mark : null, parts.slice(1).join(w.similar.text));
}

function paintCheck() {
  if (!draft) return;
  const steps = STEPS[draft.type];
  const step = steps[draft.step];
  const mine = check.problems.filter((p) => stepOf(p) === step || step === 'review');
  const claimed = new Set();
  for (const f of onScreen) {
    const ps = mine.filter((p) => f.match(p));
    ps.forEach((p) => claimed.add(p));
    const show = draft.visited[step] || draft.touched[f.ptr];
    // Hints (a mark close to a registered one, SPEC §15) show beside their field, never block.
    const ws = check.warnings.filter((w) => w.similar && f.match(w));
    f.err.replaceChildren(...(show ? ps.map((p) => h('p', {}, msg(p))) : []), ...ws.map(hintLine));
    if (f.input) f.input.setAttribute('aria-invalid', show && ps.length ? 'true' : 'false');
  }
  // A document whose bytes were refused is marked in its list.
  document.querySelectorAll('li[data-att]').forEach((li) => {
    const i = draft.form.attachments.indexOf(li.dataset.att);
    const bad = i >= 0 && check.problems.some((p) => p.field === '/attachments/' + i);
    li.classList.toggle('bad', bad);
    li.querySelector('.file-status').textContent = bad ? '⚠ ' : '✓ ';
  });
  const rest = document.getElementById('step-problems');
  if (rest && step !== 'review') {
    const others = draft.visited[step] ? mine.filter((p) => !claimed.has(p)) : [];
    // Once classes are chosen a mark may turn out close to a registered one: said here too.
    const hints = step === 'classes' ? check.warnings.filter((w) => w.similar) : [];
    rest.replaceChildren(...(others.length ? [h('p', { class: 'strong' }, t('problemsHere')), h('ul', {}, others.map((p) => h('li', {}, msg(p))))] : []),
      ...hints.map(hintLine));
  }
  const fee = document.getElementById('feebar');
  if (fee) {
    fee.replaceChildren(h('span', {}, t('feesRunning') + colon()),
      h('strong', {}, check.fees ? check.fees.total + ' ' + check.fees.currency : '—'),
      ...(check.pending ? [h('span', { class: 'muted' }, ' · ' + t('checking'))] : []));
  }
  // The stepper marks visited steps that have problems.
  document.querySelectorAll('[data-step]').forEach((b) => {
    const s = b.dataset.step;
    const bad = draft.visited[s] && check.problems.some((p) => stepOf(p) === s);
    b.classList.toggle('bad', !!bad);
    const mark = b.querySelector('.mark');
    if (mark) mark.textContent = bad ? ' ⚠ ' + t('stepHasProblems') : (draft.visited[s] && check.done ? ' ✓' : '');
  });
  if (step === 'review') paintReview();
}

// ---------------------------------------------------------------------------------------------
// Screens.

function header(extra) {
  const c = claimsOf(api.token) || {};
  return h('header', { class: 'top' },
    h('a', { href: '#/', class: 'brand' }, t('appTitle')),
    api.token ? expoLabel() : null,
    h('span', { class: 'who' }, c.booth ? t('booth') + ' ' + c.booth : ''),
    h('nav', { 'aria-label': t('appTitle') },
      api.token ? h('a', { href: '#/filings', class: 'button secondary' }, t('myFilings')) : null,
      api.token ? h('a', { href: '#/complaints', class: 'button secondary' }, t('myComplaints')) : null,
      extra || null,
      contrastButton(render),
      langButton(render)));
}

function paint(...children) {
  app.replaceChildren(header(), h('main', { id: 'main', tabindex: '-1' }, againstBanner(), ...children));
}

// screen draws a screen of a kiosk that has its token: an answer that arrives after the token
// was refused (the set-up screen is showing) draws nothing.
function screen(...children) {
  if (api.token) paint(...children);
}

function focusHeading() {
  const el = app.querySelector('h1, h2');
  if (el) {
    el.setAttribute('tabindex', '-1');
    el.focus({ preventScroll: false });
  }
}

// setupScreen asks for the booth's set-up code (SPEC §18: its QR code opens the kiosk with
// #setup=…); a raw kiosk token can still be pasted, for demos and tests.
let setupProblem = ''; // the key of what the set-up screen says, kept across a change of language

function setupScreen(problem, code) {
  if (problem !== undefined) setupProblem = problem;
  problem = setupProblem;
  const input = h('input', { id: 'setup-code', type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': 'setup-help setup-err' });
  input.value = code || '';
  const err = h('div', { class: 'field-error', id: 'setup-err', role: 'alert' }, problem ? h('p', {}, t(problem)) : null);
  const ta = h('textarea', { id: 'token', rows: 4, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'token-err' });
  ta.value = api.token || '';
  const tokErr = h('div', { class: 'field-error', id: 'token-err', role: 'alert' });
  paint(h('section', { class: 'card' },
    h('h1', {}, t('setupTitle')),
    h('p', { id: 'setup-help', class: 'help' }, t('setupHelp')),
    h('div', { class: 'field' }, h('label', { for: 'setup-code' }, t('setupCode')), input, err),
    h('button', { type: 'button', class: 'primary', id: 'set-up', onclick: () => { if (input.value.trim()) setUp(input.value.trim()); } }, t('setUp')),
    h('details', { class: 'token-instead' }, h('summary', {}, t('tokenInstead')),
      h('div', { class: 'field' }, h('label', { for: 'token' }, t('token')), ta, tokErr),
      h('button', {
        type: 'button', class: 'secondary', onclick: async () => {
          const tok = ta.value.trim();
          const c = claimsOf(tok);
          if (!c || c.role !== 'kiosk') {
            tokErr.replaceChildren(h('p', {}, c ? t('tokenWrongRole') : t('tokenInvalid')));
            return;
          }
          api.setToken(tok);
          location.hash = '#/';
          render();
        },
      }, t('save')))));
}

// setUp exchanges a set-up code for this kiosk's token; a kiosk set up for another booth
// starts without the previous one's drafts.
async function setUp(code) {
  paint(h('section', { class: 'card' }, h('h1', {}, t('setupTitle')), h('p', { role: 'status' }, t('settingUp'))));
  const before = (claimsOf(api.token) || {}).booth;
  const status = await api.setUp('kiosks', code);
  if (status !== 200) {
    setupScreen(status ? 'setupCodeInvalid' : 'setupOffline', status ? '' : code);
    focusHeading();
    return;
  }
  if ((claimsOf(api.token) || {}).booth !== before) forgetPersonalData();
  location.hash = '#/';
  render();
  loadExpo(api.token).then(() => render());
}

// forgetPersonalData clears what this kiosk keeps of its exhibitor's filers: the drafts.
function forgetPersonalData() {
  discardDraft();
  cdraft = null;
  save('complaint', null);
}

function homeScreen() {
  const types = ['trademark', 'invention', 'utility_model', 'design'];
  const steps = draft ? STEPS[draft.type] : [];
  screen(
    draft ? h('section', { class: 'card resume' },
      h('h2', {}, t('resumeDraft')),
      h('p', {}, (draft.mode === 'amend' ? draft.filingNumber + ' · ' : '') +
        t('resumeWhat', { type: t('type_' + draft.type), n: draft.step + 1, total: steps.length })),
      h('button', { type: 'button', class: 'primary', onclick: () => { location.hash = '#/draft'; } }, t('resumeDraft')),
      h('button', { type: 'button', class: 'secondary', onclick: () => { if (confirm(t('confirmDiscard'))) { discardDraft(); render(); } } }, t('discardDraft')))
      : null,
    h('h1', {}, t('homeTitle')),
    h('p', { class: 'help' }, t('homeHelp')),
    h('div', { class: 'types' }, types.map((ty) => h('button', {
      type: 'button', class: 'type', 'data-type': ty,
      onclick: () => {
        if (draft && !confirm(t('confirmDiscard'))) return;
        draft = newDraft(ty);
        resetCheck();
        saveDraft();
        location.hash = '#/draft';
      },
    }, h('strong', {}, t('type_' + ty)), h('span', {}, t('type_' + ty + '_help')))),
    // The evidence of an exhibition claim, beside what it protects.
    h('a', { href: '#/certificates', class: 'button type', id: 'my-certificates' }, h('strong', {}, t('myCertificates')), h('span', {}, t('myCertificatesHelp')))),
    h('h2', {}, t('complaintsTitle')),
    h('p', { class: 'help' }, t('complaintsHelp')),
    h('div', { class: 'types' },
      h('a', { href: '#/complaint', class: 'button type', id: 'file-complaint-start' },
        h('strong', {}, cdraft ? t('resumeDraft') + colon() + t('fileComplaint') : t('fileComplaint')), h('span', {}, t('fileComplaintHelp'))),
      h('a', { href: '#/complaints', class: 'button type' }, h('strong', {}, t('myComplaints')), h('span', {}, t('myComplaintsHelp')))));
}

function discardDraft() {
  draft = null;
  save('draft', null);
  resetCheck();
}

function resetCheck() {
  Object.assign(check, { seq: check.seq + 1, problems: [], warnings: [], fees: null, valid: false, pending: false, done: false });
}

// ---- the wizard ----

function wizardScreen() {
  if (!draft) { location.hash = '#/'; return; }
  const steps = STEPS[draft.type];
  draft.step = Math.min(Math.max(0, draft.step), steps.length - 1);
  const step = steps[draft.step];
  const title = step === 'subject' && draft.type === 'design' ? t('step_subject_design') : t('step_' + step);
  const go = (i) => {
    draft.visited[step] = true;
    draft.step = i;
    saveDraft();
    render();
    focusHeading();
    validateSoon(0);
  };
  const stepper = h('nav', { 'aria-label': t('stepOf', { n: draft.step + 1, total: steps.length }) },
    h('ol', { class: 'stepper' }, steps.map((s, i) => h('li', {},
      h('button', {
        type: 'button', 'data-step': s, class: i === draft.step ? 'current' : '', 'aria-current': i === draft.step ? 'step' : undefined,
        onclick: () => go(i),
      }, (i + 1) + '. ' + (s === 'subject' && draft.type === 'design' ? t('step_subject_design') : t('step_' + s)), h('span', { class: 'mark' }))))));
  screen(h('section', { class: 'wizard', 'data-current-step': step },
    h('p', { class: 'kind' }, t('type_' + draft.type) + (draft.mode === 'amend' ? ' · ' + draft.filingNumber : '')),
    stepper,
    h('h2', { id: 'step-title' }, title),
    h('p', { class: 'muted' }, t('stepOf', { n: draft.step + 1, total: steps.length })),
    draft.mode === 'amend' && draft.step === 0 ? reasonsBox(draft.reasons, draft.note) : null,
    h('div', { class: 'step-body' }, STEP_RENDER[step]()),
    h('div', { id: 'step-problems', class: 'step-problems', 'aria-live': 'polite' }),
    h('div', { id: 'feebar', class: 'feebar', 'aria-live': 'polite' }),
    h('div', { class: 'nav-buttons' },
      draft.step > 0 ? h('button', { type: 'button', class: 'secondary', id: 'back', onclick: () => go(draft.step - 1) }, t('back')) : null,
      draft.step < steps.length - 1 ? h('button', { type: 'button', class: 'primary', id: 'next', onclick: () => go(draft.step + 1) }, t('next')) : null)));
  paintCheck();
}

function reasonsBox(reasons, note) {
  return h('div', { class: 'notice', role: 'note' },
    h('p', { class: 'strong' }, t('correctionAsked')),
    h('ul', {}, (reasons || []).map((r) => h('li', {}, t('reason_' + r.code) + (r.field ? paren(r.field) : '') + (r.note ? colon() + r.note : '')))),
    note ? h('p', {}, t('examinerNote') + colon() + note) : null);
}

function rerenderStep(focusPtr) {
  render();
  if (focusPtr) {
    const el = document.getElementById(fieldId(focusPtr));
    if (el) el.focus();
  }
}

const STEP_RENDER = {
  applicants() {
    const fm = draft.form;
    const agentBox = h('fieldset', { class: 'group', hidden: !agentNeeded(fm) },
      h('legend', {}, t('agentTitle')),
      h('p', { class: 'help' }, t('agentHelp')),
      input({ ptr: '/agent/name', label: t('agentName'), get: () => fm.agent.name, set: (v) => { fm.agent.name = v; } }),
      // Patents: the 5-digit CNIPA agency code, required; trademarks: optional (SPEC §4).
      draft.type === 'trademark'
        ? input({ ptr: '/agent/agencyCode', label: t('agencyCodeTrademark'), optional: true, maxlength: 32, get: () => fm.agent.agencyCode, set: (v) => { fm.agent.agencyCode = v; } })
        : input({ ptr: '/agent/agencyCode', label: t('agencyCode'), inputmode: 'numeric', maxlength: 5, get: () => fm.agent.agencyCode, set: (v) => { fm.agent.agencyCode = v; } }));
    const agentErr = h('div', { class: 'field-error', 'aria-live': 'polite' });
    register('/agent', agentErr, null, (p) => p.field === '/agent');
    agentBox.append(agentErr);
    const list = fm.applicants.map((a, i) => {
      const base = '/applicants/' + i;
      return h('fieldset', { class: 'group' },
        h('legend', {}, t('applicant', { n: i + 1 })),
        input({ ptr: base + '/name', label: t('name'), get: () => a.name, set: (v) => { a.name = v; }, autocomplete: 'organization' }),
        choice({
          ptr: base + '/kind', legend: t('applicantKind'), options: [['organization', t('organization')], ['individual', t('individual')]],
          get: () => a.kind, set: (v) => { a.kind = v; },
        }),
        placePicker({ ptr: base + '/nationality', label: t('nationality'), get: () => a.nationality, set: (v) => { a.nationality = v; agentBox.hidden = !agentNeeded(fm); } }),
        placePicker({
          ptr: base + '/domicile', label: t('domicile'), get: () => a.domicile,
          set: (v) => { a.domicile = v; agentBox.hidden = !agentNeeded(fm); },
        }),
        input({ ptr: base + '/address', label: t('address'), rows: 2, get: () => a.address, set: (v) => { a.address = v; } }),
        input({ ptr: base + '/idNumber', label: t('idNumber'), help: t('idNumberHelp'), optional: true, get: () => a.idNumber, set: (v) => { a.idNumber = v; } }),
        fm.applicants.length > 1 ? h('button', {
          type: 'button', class: 'secondary small', onclick: () => { fm.applicants.splice(i, 1); changed('/applicants'); rerenderStep(); },
        }, t('remove') + ' — ' + t('applicant', { n: i + 1 })) : null);
    });
    return [list,
      h('button', {
        type: 'button', class: 'secondary', onclick: () => {
          fm.applicants.push(emptyApplicant());
          changed('/applicants');
          rerenderStep('/applicants/' + (fm.applicants.length - 1) + '/name');
        },
      }, t('addApplicant')),
      agentBox];
  },

  mark() {
    const tm = draft.form.trademark;
    const parts = [choice({
      ptr: '/trademark/markType', legend: t('markType'),
      options: ['word', 'figurative', 'combined', 'three_dimensional', 'color', 'sound'].map((m) => [m, t('markType_' + m)]),
      get: () => tm.markType, set: (v) => { tm.markType = v; }, onchange: () => rerenderStep(),
    })];
    if (['word', 'combined', 'three_dimensional'].includes(tm.markType)) {
      parts.push(input({ ptr: '/trademark/markText', label: t('markText'), optional: tm.markType === 'three_dimensional', get: () => tm.markText, set: (v) => { tm.markText = v; } }));
    }
    if (COLOUR_MARKS.includes(tm.markType)) {
      parts.push(input({ ptr: '/trademark/colorClaim', label: t('colorClaim'), optional: tm.markType !== 'color', get: () => tm.colorClaim, set: (v) => { tm.colorClaim = v; } }));
    }
    if (IMAGE_MARKS.includes(tm.markType)) {
      parts.push(uploader('mark_image', { help: t('markImageHelp'), required: true, single: true }));
    }
    const sound = tm.markType === 'sound';
    parts.push(input({
      ptr: '/trademark/description', label: sound ? t('soundDescription') : t('markDescription'), rows: 3, optional: !sound,
      get: () => tm.description, set: (v) => { tm.description = v; },
    }));
    if (sound) parts.push(uploader('sound_sample', { help: t('soundSampleHelp'), required: true, single: true }));
    return parts;
  },

  classes() {
    const tm = draft.form.trademark;
    const results = h('ul', { class: 'results', id: 'class-results' });
    const search = h('input', { id: 'class-search', type: 'search', autocomplete: 'off', 'aria-controls': 'class-results' });
    const chosen = new Set(tm.classes.map((c) => parseInt(c.class, 10)));
    const show = () => {
      const q = search.value.trim().toLowerCase();
      const hits = nice.filter((c) => !q || String(c.class) === q || c.heading.toLowerCase().includes(q) || c.heading_zh.includes(q));
      results.replaceChildren(...hits.slice(0, q ? 45 : 12).map((c) => h('li', {},
        h('button', {
          type: 'button', class: 'secondary result', disabled: chosen.has(c.class), 'data-class': c.class,
          onclick: () => {
            tm.classes.push({ class: String(c.class), terms: '' });
            changed('/trademark/classes');
            rerenderStep('/trademark/classes/' + (tm.classes.length - 1) + '/terms');
          },
        }, h('strong', {}, t('addClass', { n: c.class })), ' ', h('span', {}, heading(c)),
        // The other language's heading only when it is what the search words matched.
        q && !heading(c).toLowerCase().includes(q) && String(c.class) !== q
          ? h('span', { class: 'muted', lang: lang() === 'zh' ? 'en' : 'zh' }, ' · ' + (lang() === 'zh' ? c.heading : c.heading_zh)) : null))));
    };
    search.addEventListener('input', show);
    show();
    const topErr = h('div', { class: 'field-error', 'aria-live': 'polite' });
    register('/trademark/classes', topErr, null, (p) => p.field === '/trademark/classes');
    const entries = tm.classes.map((c, i) => {
      const base = '/trademark/classes/' + i;
      const n = parseInt(c.class, 10);
      const ref = nice.find((x) => x.class === n);
      return h('fieldset', { class: 'group class-entry' },
        h('legend', {}, t('classEntry', { n: c.class || '?' })),
        ref ? h('p', { class: 'help' }, heading(ref)) : null,
        input({ ptr: base + '/class', label: t('classNumber'), type: 'number', inputmode: 'numeric', attrs: { min: 1, max: 45 }, get: () => c.class, set: (v) => { c.class = v; } }),
        input({ ptr: base + '/terms', label: t('terms'), rows: 4, get: () => c.terms, set: (v) => { c.terms = v; } }),
        h('button', {
          type: 'button', class: 'secondary small', onclick: () => { tm.classes.splice(i, 1); changed('/trademark/classes'); rerenderStep(); },
        }, t('remove') + ' — ' + t('classEntry', { n: c.class || '?' })));
    });
    return [h('p', { class: 'help' }, t('classesHelp')), topErr,
      entries,
      h('button', {
        type: 'button', class: 'secondary', id: 'add-class', onclick: () => {
          tm.classes.push({ class: '', terms: '' });
          changed('/trademark/classes');
          rerenderStep('/trademark/classes/' + (tm.classes.length - 1) + '/class');
        },
      }, t('addClassManually')),
      h('div', { class: 'field' }, h('label', { for: 'class-search' }, ...withChinese(t('searchClasses'))), search), results];
  },

  subject() {
    const p = draft.form.patent;
    const design = p.type === 'design';
    const parts = [input({ ptr: '/patent/title', label: t('title'), maxlength: 200, get: () => p.title, set: (v) => { p.title = v; } })];
    if (!design) {
      parts.push(input({ ptr: '/patent/abstract', label: t('abstract'), rows: 4, get: () => p.abstract, set: (v) => { p.abstract = v; } }));
      parts.push(input({ ptr: '/patent/claims', label: t('claims'), rows: 6, get: () => p.claims, set: (v) => { p.claims = v; } }));
    } else {
      parts.push(locarnoField(p));
      parts.push(input({ ptr: '/patent/briefDescription', label: t('briefDescription'), help: t('briefDescriptionHelp'), rows: 4, maxlength: 1000, get: () => p.briefDescription, set: (v) => { p.briefDescription = v; } }));
    }
    parts.push(h('fieldset', { class: 'group' }, h('legend', {}, design ? t('designers') : t('inventors')),
      p.inventors.map((x, i) => h('div', { class: 'row' },
        input({ ptr: '/patent/inventors/' + i + '/name', label: t(design ? 'designer' : 'inventor', { n: i + 1 }) + ' — ' + t('name'), get: () => x.name, set: (v) => { x.name = v; } }),
        placePicker({ ptr: '/patent/inventors/' + i + '/nationality', label: t('nationality'), get: () => x.nationality, set: (v) => { x.nationality = v; } }),
        p.inventors.length > 1 ? h('button', {
          type: 'button', class: 'secondary small', onclick: () => { p.inventors.splice(i, 1); changed('/patent/inventors'); rerenderStep(); },
        }, t('remove') + ' — ' + t(design ? 'designer' : 'inventor', { n: i + 1 })) : null)),
      h('button', {
        type: 'button', class: 'secondary', onclick: () => {
          p.inventors.push({ name: '', nationality: '' });
          changed('/patent/inventors');
          rerenderStep('/patent/inventors/' + (p.inventors.length - 1) + '/name');
        },
      }, t(design ? 'addDesigner' : 'addInventor'))));
    return parts;
  },

  priority() {
    const fm = draft.form;
    const x = fm.exhibition;
    const info = expo.info || {};
    const exhibitions = [{ id: info.id, name: info.name, nameZh: info.nameZh, startDate: info.startDate, endDate: info.endDate }, ...(info.exhibitions || [])].filter((e) => e.id);
    const cb = h('input', { type: 'checkbox', id: 'exhibition-on', checked: x.on });
    cb.addEventListener('change', () => {
      x.on = cb.checked;
      if (x.on && !x.expo) {
        // Pre-filled from the kiosk's booth and the expo's dates.
        const today = info.filingDate || '';
        x.expo = info.id || '';
        x.firstDisplayDate = today && info.startDate && today >= info.startDate && today <= info.endDate ? today : info.startDate || '';
        x.booth = (claimsOf(api.token) || {}).booth || '';
      }
      changed('/exhibition');
      rerenderStep();
    });
    if (x.on) loadCerts();
    const certs = (myCerts || []).filter((c) => !c.revoked);
    const exhibitionFields = x.on ? [
      certs.length ? h('div', { class: 'field' }, h('label', { for: fieldId('/exhibition/certificate') }, t('certificateLabel')),
        (() => {
          // Chosen, the certificate fills in the exhibition, date, booth and exhibit it proves.
          const sel = h('select', { id: fieldId('/exhibition/certificate'), 'aria-describedby': 'certificate-help' },
            h('option', { value: '' }, t('certificateNone')),
            certs.map((c) => h('option', { value: c.id, selected: c.id === x.certificate }, c.certificateNumber + ' · ' + c.payload.exhibit)));
          sel.addEventListener('change', () => {
            const c = certs.find((v) => v.id === sel.value);
            x.certificate = sel.value;
            if (c) Object.assign(x, { expo: c.payload.exhibition.id, firstDisplayDate: c.payload.firstDisplayDate, booth: c.payload.booth, exhibit: c.payload.exhibit.slice(0, 200) });
            changed('/exhibition');
            rerenderStep();
          });
          const err = h('div', { class: 'field-error' });
          register('/exhibition/certificate', err, sel);
          return [h('p', { class: 'help', id: 'certificate-help' }, t('certificateHelp')), sel, err];
        })()) : null,
      h('div', { class: 'field' }, h('label', { for: fieldId('/exhibition/expo') }, t('exhibitionExpo')),
        (() => {
          const sel = h('select', { id: fieldId('/exhibition/expo') }, exhibitions.map((e) => h('option', { value: e.id, selected: e.id === x.expo },
            (lang() === 'zh' && e.nameZh ? e.nameZh : e.name || e.id) + paren(e.startDate + ' – ' + e.endDate))));
          sel.addEventListener('change', () => { x.expo = sel.value; changed('/exhibition/expo'); });
          const err = h('div', { class: 'field-error' });
          register('/exhibition/expo', err, sel);
          return [sel, err];
        })()),
      input({ ptr: '/exhibition/firstDisplayDate', label: t('firstDisplayDate'), type: 'date', get: () => x.firstDisplayDate, set: (v) => { x.firstDisplayDate = v; } }),
      input({ ptr: '/exhibition/booth', label: t('booth'), optional: true, get: () => x.booth, set: (v) => { x.booth = v; } }),
      input({ ptr: '/exhibition/exhibit', label: t('exhibit'), optional: true, get: () => x.exhibit, set: (v) => { x.exhibit = v; } }),
    ] : [];
    return [
      h('fieldset', { class: 'group' }, h('legend', {}, t('priorityTitle')),
        h('p', { class: 'help' }, t('priorityHelp')),
        fm.priority.map((p, i) => h('div', { class: 'group' },
          h('p', { class: 'strong' }, t('priority', { n: i + 1 })),
          placePicker({ ptr: '/priorityClaims/' + i + '/office', label: t('office'), offices: true, get: () => p.office, set: (v) => { p.office = v; } }),
          input({ ptr: '/priorityClaims/' + i + '/number', label: t('priorityNumber'), get: () => p.number, set: (v) => { p.number = v; } }),
          input({ ptr: '/priorityClaims/' + i + '/date', label: t('priorityDate'), type: 'date', get: () => p.date, set: (v) => { p.date = v; } }),
          h('button', { type: 'button', class: 'secondary small', onclick: () => { fm.priority.splice(i, 1); changed('/priorityClaims'); rerenderStep(); } },
            t('remove') + ' — ' + t('priority', { n: i + 1 })))),
        h('button', {
          type: 'button', class: 'secondary', onclick: () => {
            fm.priority.push({ office: '', number: '', date: '' });
            changed('/priorityClaims');
            rerenderStep('/priorityClaims/' + (fm.priority.length - 1) + '/office');
          },
        }, t('addPriority'))),
      h('fieldset', { class: 'group' }, h('legend', {}, t('exhibitionTitle')),
        h('p', { class: 'help', id: 'exhibition-help' }, t('exhibitionHelp')),
        h('label', { for: 'exhibition-on', class: 'option check' }, cb, h('span', {}, t('exhibitionClaim'))),
        exhibitionFields),
    ];
  },

  documents() {
    const roles = ROLES[draft.type];
    const req = REQUIRED_ROLE[draft.type];
    const poa = agentNeeded(draft.form); // an agency files: its power of attorney is needed
    return [h('p', { class: 'help' }, t('documentsHelp')),
      roles.map((role) => role === 'views' ? viewSlots() : uploader(role, {
        required: role === req || (role === 'power_of_attorney' && poa),
        help: role === 'power_of_attorney' && poa ? t('poaNeeded') + (lang() === 'zh' ? '' : ' ') + typesText(role) : undefined,
      }))];
  },

  contact() {
    const c = draft.form.contact;
    return [h('p', { class: 'help' }, t('contactHelp')),
      input({ ptr: '/contact/name', label: t('contactName'), autocomplete: 'name', get: () => c.name, set: (v) => { c.name = v; } }),
      input({ ptr: '/contact/email', label: t('email'), type: 'email', autocomplete: 'email', get: () => c.email, set: (v) => { c.email = v; } }),
      input({ ptr: '/contact/phone', label: t('phone'), type: 'tel', autocomplete: 'tel', get: () => c.phone, set: (v) => { c.phone = v; } }),
      choice({
        ptr: '/language', legend: t('filingLanguage'), options: [['zh', t('lang_zh')], ['en', t('lang_en')]],
        get: () => draft.form.language, set: (v) => { draft.form.language = v; },
      })];
  },

  review() {
    return [h('p', { class: 'help' }, t('reviewHelp')),
      h('div', { id: 'review-summary' }),
      h('div', { id: 'review-fees' }),
      h('div', { id: 'review-warnings' }),
      h('div', { id: 'review-problems', 'aria-live': 'polite' }),
      h('div', { id: 'submit-status', role: 'status', 'aria-live': 'assertive' }),
      h('button', { type: 'button', class: 'primary big', id: 'submit', onclick: submit }, draft.mode === 'amend' ? t('fileAmendment') : t('fileNow'))];
  },
};

function locarnoField(p) {
  const ptr = '/patent/locarnoClass';
  const id = fieldId(ptr);
  const [cc0, ss0] = (p.locarnoClass || '-').split('-');
  const sel = h('select', { id, 'aria-describedby': id + '-help ' + id + '-err' },
    h('option', { value: '' }, '—'),
    locarno.map((c) => {
      const cc = String(c.class).padStart(2, '0');
      return h('option', { value: cc, selected: cc === cc0 }, cc + ' ' + heading(c));
    }));
  const sub = h('input', { id: id + '-sub', inputmode: 'numeric', maxlength: 2, value: ss0 || '', 'aria-describedby': id + '-err' });
  const update = () => {
    p.locarnoClass = sel.value ? sel.value + '-' + (sub.value.trim() || '00').padStart(2, '0') : '';
    changed(ptr);
  };
  sel.addEventListener('change', update);
  sub.addEventListener('input', update);
  const err = h('div', { class: 'field-error', id: id + '-err', 'aria-live': 'polite' });
  register(ptr, err, sel);
  return h('div', { class: 'field' },
    h('label', { for: id }, t('locarnoClass')),
    h('p', { class: 'help', id: id + '-help' }, t('locarnoHelp')),
    h('div', { class: 'row' }, sel, h('label', { for: id + '-sub', class: 'inline' }, '–'), sub), err);
}

// ---- attachments ----

// The types a role takes, as the expo configures them (GET /v1/expo attachments), else these.
const ACCEPT = {
  views: 'application/pdf,image/jpeg,image/png', mark_image: 'image/jpeg', sound_sample: 'audio/mpeg,audio/wav,.mp3,.wav',
  power_of_attorney: 'application/pdf,image/jpeg,image/png', exhibition_evidence: 'application/pdf,image/jpeg,image/png',
  id_document: 'application/pdf,image/jpeg,image/png',
};
const TYPE_NAMES = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'audio/mpeg': 'MP3', 'audio/wav': 'WAV' };

function roleTypes(role) {
  const conf = expo.info && expo.info.attachments && expo.info.attachments[role];
  return conf && conf.types ? conf.types : (ACCEPT[role] || 'application/pdf').split(',').filter((x) => x.includes('/'));
}

// typesText names a role's types: "PDF, JPEG or PNG", "PDF、JPEG或PNG".
function typesText(role) {
  const names = roleTypes(role).map((x) => TYPE_NAMES[x] || x);
  if (names.length < 2) return names.join('');
  const last = names.pop();
  return lang() === 'zh' ? names.join('、') + '或' + last : names.join(', ') + ' or ' + last;
}

function uploader(role, { help, required, single, label } = {}) {
  const fm = draft.form;
  const id = 'up-' + role + (label ? '-' + label : '');
  const err = h('div', { class: 'field-error', id: id + '-err', 'aria-live': 'polite' });
  const mine = (u) => !!u && u.role === role && (!label || u.label === label);
  const ids = fm.attachments.filter((a) => mine(draft.uploads[a]));
  const types = roleTypes(role);
  const image = types.some((x) => x.startsWith('image/'));
  const progress = h('div', { class: 'progress-list', 'aria-live': 'polite' });
  const pick = (capture) => {
    const accept = types.join(',') + (types.includes('audio/mpeg') ? ',.mp3,.wav' : '');
    const inp = h('input', { type: 'file', accept, capture: capture ? 'environment' : undefined, class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
    inp.addEventListener('change', () => {
      for (const file of inp.files) uploadFile(role, file, progress, err, single, label);
    });
    document.body.append(inp);
    inp.click();
    setTimeout(() => inp.remove(), 60000);
  };
  register('/attachments#' + role + (label || ''), err, null, (p) => {
    // views_required belongs to the first view's slot (the front view).
    if (p.field === '/attachments') return p.code === role + '_required' || (role === 'views' && p.code === 'views_required' && (!label || label === 'front'));
    const m = (p.field || '').match(/^\/attachments\/(\d+)/);
    return !!m && mine(draft.uploads[fm.attachments[+m[1]]]);
  });
  const legend = label ? t('view_' + label) : t('role_' + role);
  const tag = label ? null : h('span', { class: 'tag' }, paren(required ? t('required') : t('optional')));
  return h('fieldset', { class: 'group uploader', 'data-role': role, 'data-label': label, 'aria-describedby': id + '-err' },
    h('legend', {}, legend, tag),
    h('p', { class: 'help' }, help || typesText(role)),
    h('ul', { class: 'files' }, ids.map((a) => {
      const u = draft.uploads[a];
      return h('li', { 'data-att': a }, h('span', { class: 'file-status', 'aria-hidden': 'true' }, '✓ '),
        h('span', {}, t('uploaded') + colon() + u.name + paren(sizeText(u.size))),
        h('button', {
          type: 'button', class: 'secondary small', onclick: () => {
            fm.attachments = fm.attachments.filter((x) => x !== a);
            changed('/attachments');
            rerenderStep();
          },
        }, t('remove') + ' — ' + u.name));
    })),
    progress,
    h('div', { class: 'row' },
      image ? h('button', { type: 'button', class: 'secondary', onclick: () => pick(true) }, t('takePhoto')) : null,
      h('button', { type: 'button', class: 'secondary', 'data-choose': role + (label ? '-' + label : ''), onclick: () => pick(false) }, t('chooseFile'))),
    err);
}

// viewSlots are a design's views, one slot per view (front, rear, left, right, top, bottom,
// perspective, reference), each taking one image or PDF that is declared with its label. At
// least one view is required (views_required); the brief description names the one that shows
// the design best.
function viewSlots() {
  return h('fieldset', { class: 'group views' }, h('legend', {}, t('role_views'), h('span', { class: 'tag' }, paren(t('atLeastOne')))),
    h('p', { class: 'help' }, t('viewsHelp') + (lang() === 'zh' ? '' : ' ') + typesText('views')),
    h('div', { class: 'view-slots' }, VIEW_LABELS.map((label) => uploader('views', { label, single: true, help: t('view_' + label + '_help') }))));
}

const VIEW_LABELS = ['front', 'rear', 'left', 'right', 'top', 'bottom', 'perspective', 'reference'];

// uploadFile declares a file, sends its bytes with a progress bar, and adds it to the draft.
async function uploadFile(role, file, progressBox, errBox, single, label) {
  const bar = h('progress', { max: 100, value: 0 });
  const line = h('div', { class: 'progress' }, h('span', {}, t('uploading', { name: file.name })), bar);
  progressBox.append(line);
  const fail = (why) => {
    line.replaceChildren(h('span', { class: 'error-text' }, t('uploadFailed', { why })),
      h('button', { type: 'button', class: 'secondary small', onclick: () => { line.remove(); uploadFile(role, file, progressBox, errBox, single, label); } }, t('retry')));
  };
  try {
    const buf = await file.arrayBuffer();
    const contentType = file.type || typeByName(file.name);
    const r = await api.call('POST', '/v1/uploads', { role, contentType, size: file.size, sha256: await sha256hex(buf), label });
    if (r.status !== 201) {
      fail(((r.data && r.data.errors) || []).map(msg).join(' ') || 'HTTP ' + r.status);
      return;
    }
    await put(r.data.upload, buf, (p) => { bar.value = p; });
    if (!draft) return;
    const same = (u) => u.role === role && (u.label || undefined) === label;
    if (single) draft.form.attachments = draft.form.attachments.filter((a) => !draft.uploads[a] || !same(draft.uploads[a]));
    draft.uploads[r.data.id] = { role, label, name: file.name, size: file.size, contentType };
    draft.form.attachments.push(r.data.id);
    changed('/attachments');
    line.remove();
    rerenderStep();
  } catch (e) {
    fail(e.message || String(e));
  }
}

// ---- review and submit ----

function paintReview() {
  const d = draft;
  const r = toRequest(d);
  const sum = document.getElementById('review-summary');
  if (!sum) return;
  const rows = [[t('type_' + d.type), r.trademark ? (r.trademark.markText || t('markType_' + r.trademark.markType)) : r.patent.title]];
  rows.push([t('step_applicants'), r.applicants.map((a) => a.name + paren(a.nationality)).join(semi())]);
  if (r.agent) rows.push([t('agent'), r.agent.agencyCode ? r.agent.name + ' · ' + r.agent.agencyCode : r.agent.name]);
  if (r.trademark) rows.push([t('step_classes'), r.trademark.classes.map((c) => c.class + colon() + c.terms.join(semi())).join(' | ')]);
  if (r.patent && r.patent.locarnoClass) rows.push([t('locarnoClass'), r.patent.locarnoClass]);
  if (r.patent && r.patent.claims) rows.push([t('claims'), String(r.patent.claims.length)]);
  rows.push([t('priorityTitle'), (r.priorityClaims || []).map((p) => p.office + ' ' + p.number + ' · ' + p.date).join(semi()) || t('noneGiven')]);
  rows.push([t('exhibitionTitle'), r.exhibition ? [r.exhibition.expo, r.exhibition.firstDisplayDate, certNumber(r.exhibition.certificate)].filter((v) => v).join(' · ') : t('noneGiven')]);
  const docName = (u) => (u.label ? t('view_' + u.label) : t('role_' + u.role));
  rows.push([t('documents'), (r.attachments || []).map((a) => d.uploads[a] ? docName(d.uploads[a]) + colon() + d.uploads[a].name : a).join(semi()) || t('noneGiven')]);
  rows.push([t('contact'), [r.contact.name, r.contact.email, r.contact.phone].filter((x) => x).join(' · ')]);
  sum.replaceChildren(h('table', { class: 'summary' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v))))));
  document.getElementById('review-fees').replaceChildren(feesTable(check.fees) || '');
  document.getElementById('review-warnings').replaceChildren(...(check.warnings.length
    ? [h('h3', {}, t('warnings')), h('ul', {}, check.warnings.map((w) => h('li', {}, msg(w))))] : []));
  const steps = STEPS[d.type];
  const byStep = steps.map((s) => [s, check.problems.filter((p) => stepOf(p) === s)]).filter(([, ps]) => ps.length);
  document.getElementById('review-problems').replaceChildren(...(byStep.length ? [h('h3', {}, t('problemsHere')),
    h('ul', { class: 'problems' }, byStep.map(([s, ps]) => h('li', {},
      h('strong', {}, t('step_' + s) + colon()), ps.map((p) => (fieldName(p.field) ? fieldName(p.field) + colon() : '') + msg(p)).join(semi()) + ' ',
      s !== 'review' ? h('button', {
        type: 'button', class: 'secondary small', onclick: () => {
          d.visited.review = true;
          d.step = steps.indexOf(s);
          saveDraft();
          render();
          focusHeading();
        },
      }, t('fix') + ' — ' + t('step_' + s)) : null)))] : []));
  const btn = document.getElementById('submit');
  // Offline nothing can be checked: filing is still offered, and waits for the network (the
  // server checks everything before it files, under the draft's Idempotency-Key).
  const offline = !navigator.onLine;
  if (btn && !submitting) btn.disabled = !offline && (!check.valid || check.pending);
  if (btn && offline && !submitting) {
    document.getElementById('submit-status').replaceChildren(h('p', { class: 'muted' }, t('offlineFileLater')));
  } else if (btn && !check.valid && check.done && !check.pending && !submitting) {
    document.getElementById('submit-status').replaceChildren(h('p', { class: 'muted' }, t('notReady')));
  }
}

let submitting = false;

// submit files the draft under its Idempotency-Key, retrying with backoff until the server
// answers: a dropped network means "not yet", never "twice".
async function submit() {
  if (submitting || !draft) return;
  submitting = true;
  const d = draft;
  const btn = document.getElementById('submit');
  const say = (text, cls) => {
    const el = document.getElementById('submit-status');
    if (el) el.replaceChildren(h('p', { class: cls || '' }, text));
  };
  if (btn) btn.disabled = true;
  say(t('submitting'));
  const path = d.mode === 'amend' ? '/v1/filings/' + d.filingId + '/amendments' : '/v1/filings';
  const body = toRequest(d);
  for (let attempt = 0; ; attempt++) {
    let r = null;
    try {
      r = await api.call('POST', path, body, { 'Idempotency-Key': d.key });
    } catch (_) { /* not sent or no answer */ }
    if (r && r.status !== 429 && r.status < 500) {
      submitting = false;
      if (r.status === 201 || r.status === 200) {
        save('last', { id: r.data.id, amended: d.mode === 'amend' });
        discardDraft();
        location.hash = '#/receipt/' + r.data.id + (d.mode === 'amend' ? '/amended' : '');
        return;
      }
      if (r.status === 422 && r.data && r.data.errors) {
        Object.assign(check, { problems: r.data.errors, valid: false, done: true });
        paintCheck();
        say(t('notReady'), 'error-text');
      } else {
        say(t('error', { why: (r.data && (r.data.detail || r.data.title)) || 'HTTP ' + r.status }), 'error-text');
      }
      if (btn) btn.disabled = false;
      return;
    }
    say(t('waitingNetwork'), 'waiting');
    await Promise.race([sleep(Math.min(10000, 500 * 2 ** attempt)), new Promise((ok) => window.addEventListener('online', ok, { once: true }))]);
  }
}

// ---- receipt ----

async function receiptScreen(id, amended) {
  screen(h('p', {}, t('loading')));
  let f = null;
  let qr = null;
  try {
    const r = await api.call('GET', '/v1/filings/' + id);
    if (r.status === 200) f = r.data;
    const res = await fetch('/v1/filings/' + id + '/receipt', { headers: { Authorization: 'Bearer ' + api.token, Accept: 'text/html' } });
    if (res.ok) {
      // The receipt's QR code (SVG) is shown here; the rest of the printable receipt page,
      // with its own style and print button, is not loaded into the kiosk.
      const m = (await res.text()).match(/<svg[\s\S]*?<\/svg>/);
      if (m) qr = new DOMParser().parseFromString(m[0], 'image/svg+xml').documentElement;
    }
  } catch (_) { /* offline: show what we have */ }
  if (!f) {
    screen(h('p', { class: 'error-text' }, t('error', { why: id })));
    return;
  }
  // The expo's local time, as the server wrote it, for people: "2026-06-23 10:00:01 (UTC+08:00)".
  const filedAt = f.filedAt.slice(0, 19).replace('T', ' ') + paren('UTC' + (f.filedAt.slice(19) === 'Z' ? '' : f.filedAt.slice(19)));
  const tm = f.trademark;
  const p = f.patent;
  const row = (label, ...value) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, ...value));
  screen(h('section', { class: 'card receipt', id: 'receipt' },
    h('h1', {}, amended ? t('amendedTitle') : t('receiptTitle')),
    h('p', { class: 'big-number', id: 'filing-number' }, f.filingNumber),
    h('p', {}, t('type_' + typeOf(f)) + ' · ' + subjectOf(f)),
    h('div', { class: 'receipt-grid' },
      h('table', { class: 'summary' }, h('tbody', {},
        h('tr', {}, h('th', { scope: 'row' }, t('filingDate')), h('td', { id: 'filing-date' }, f.filingDate)),
        h('tr', {}, h('th', { scope: 'row' }, t('filedAt')), h('td', {}, filedAt)),
        h('tr', {}, h('th', { scope: 'row' }, t('state')), h('td', {}, stateLabel(f.state))),
        h('tr', {}, h('th', { scope: 'row' }, t('booth')), h('td', {}, f.booth)),
        row(t('step_applicants'), (f.applicants || []).map((a, i) => [i ? h('br') : null, a.name + ' · ' + placeLabel(a.nationality)])),
        tm ? row(t('markText'), (tm.markText ? tm.markText + ' · ' : '') + t('markType_' + tm.markType)) : null,
        p ? row(t('title'), p.title) : null,
        (f.priorityClaims || []).length ? row(t('priorityTitle'), f.priorityClaims.map((pc, i) => [i ? h('br') : null,
          placeLabel(pc.office) + ' · ' + pc.number + ' · ' + pc.date])) : null,
        f.exhibition ? row(t('exhibitionTitle'), f.exhibition.expo + ' · ' + f.exhibition.firstDisplayDate) : null,
        // What is still to be sent, and by when (SPEC §12), with the law it comes from.
        (f.deadlines || []).map((d) => row(t('deadline_' + d.kind), h('strong', {}, d.due), h('br'),
          h('span', { class: 'help' }, lang() === 'zh' ? d.basisZh : d.basis))))),
      qr ? h('figure', { class: 'qr' }, qr, h('figcaption', {}, t('statusQR'))) : null),
    tm && (tm.classes || []).length ? [h('h2', {}, t('step_classes')),
      h('ul', { class: 'receipt-classes' }, tm.classes.map((c) => h('li', {}, h('strong', {}, t('classEntry', { n: c.class })), colon(),
        c.terms.join(semi()))))] : null,
    feesTable(f.fees),
    (f.documents || []).length ? h('p', {}, t('documents') + colon() + f.documents.map((x) => (x.label ? t('view_' + x.label) : t('role_' + x.role))).join(lang() === 'zh' ? '、' : ', ')) : null,
    h('p', { class: 'help' }, t('receiptKeep')),
    h('div', { class: 'nav-buttons no-print' },
      h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, t('print')),
      h('button', { type: 'button', class: 'secondary', id: 'receipt-pdf', onclick: () => receiptPDF(f) }, t('receiptPdf')),
      h('a', { href: '#/', class: 'button secondary' }, t('newFiling')),
      h('a', { href: '#/filings', class: 'button secondary' }, t('myFilings')))));
  focusHeading();
}

// ---- my filings ----

async function filingsScreen() {
  screen(h('h1', {}, t('myFilings')), h('p', {}, t('loading')));
  let items = [];
  try {
    const r = await api.call('GET', '/v1/filings?limit=100');
    if (r.status === 200) items = r.data.items || [];
  } catch (_) {
    screen(h('h1', {}, t('myFilings')), h('p', { class: 'error-text' }, t('offline')));
    return;
  }
  screen(h('h1', {}, t('myFilings')),
    h('button', { type: 'button', class: 'secondary', onclick: () => filingsScreen() }, t('refresh')),
    items.length ? h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, [t('filingNumber'), t('subject'), t('filingDate'), t('state'), t('nextDeadline'), ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, items.map((f) => h('tr', { 'data-id': f.id },
        h('td', {}, f.filingNumber), h('td', {}, t('type_' + typeOf(f)) + ' · ' + subjectOf(f)), h('td', {}, f.filingDate),
        h('td', { class: 'state-' + f.state }, stateLabel(f.state)),
        h('td', { class: 'deadline' }, (f.deadlines || []).length ? [t('deadline_' + f.deadlines[0].kind), h('br'), deadlineText(f.deadlines[0])] : '—'),
        h('td', {}, h('a', { href: '#/filings/' + f.id, class: 'button secondary small', 'aria-label': t('open') + ' — ' + f.filingNumber }, t('open')))))))
      : h('p', {}, t('filingsEmpty')));
  focusHeading();
}

async function filingScreen(id) {
  screen(h('p', {}, t('loading')));
  let f;
  try {
    const r = await api.call('GET', '/v1/filings/' + id);
    if (r.status !== 200) throw new Error('HTTP ' + r.status);
    f = r.data;
  } catch (e) {
    screen(h('p', { class: 'error-text' }, t('error', { why: e.message })));
    return;
  }
  const dec = f.decision;
  screen(h('section', { class: 'card' },
    h('h1', {}, f.filingNumber),
    h('p', {}, t('type_' + typeOf(f)) + ' · ' + subjectOf(f)),
    h('table', { class: 'summary' }, h('tbody', {},
      h('tr', {}, h('th', { scope: 'row' }, t('state')), h('td', { id: 'filing-state' }, stateLabel(f.state))),
      h('tr', {}, h('th', { scope: 'row' }, t('filingDate')), h('td', {}, f.filingDate)),
      f.respondBy ? h('tr', {}, h('th', { scope: 'row' }, t('respondBy', { date: '' })), h('td', {}, f.respondBy)) : null,
      (f.deadlines || []).map((d) => h('tr', {}, h('th', { scope: 'row' }, t('deadline_' + d.kind)),
        h('td', {}, h('strong', {}, deadlineText(d)), h('br'), h('span', { class: 'help' }, lang() === 'zh' ? d.basisZh : d.basis)))))),
    dec && dec.outcome !== 'accept' ? reasonsBox(dec.reasons, dec.note) : null,
    h('div', { class: 'nav-buttons' },
      h('a', { href: '#/receipt/' + f.id, class: 'button secondary' }, t('receipt')),
      f.state === 'correction_requested' ? h('button', {
        type: 'button', class: 'primary', id: 'amend', onclick: () => {
          if (draft && !confirm(t('confirmDiscard'))) return;
          draft = draftFromFiling(f);
          resetCheck();
          saveDraft();
          location.hash = '#/draft';
        },
      }, t('amend')) : null,
      ['queued', 'correction_requested'].includes(f.state) ? h('button', {
        type: 'button', class: 'secondary', onclick: async () => {
          if (!confirm(t('confirmWithdraw'))) return;
          await api.call('POST', '/v1/filings/' + f.id + '/withdraw');
          filingScreen(f.id);
        },
      }, t('withdraw')) : null)));
  focusHeading();
}

// ---- complaints (SPEC §11) ----

let cdraft = load('complaint', null);

// The complaint desk's module is loaded when first needed (a complaint screen, or a complaint
// against this booth to show): the first screen stays small on a booth's network. The service
// worker keeps it for offline use.
let deskModule = null;
function desk() { return deskModule || (deskModule = import('./complaints.js')); }

async function complaintFormScreen() {
  const { complaintForm, newComplaintDraft } = await desk();
  if (!cdraft) {
    cdraft = newComplaintDraft();
    save('complaint', cdraft);
  }
  screen(complaintForm({
    api, d: cdraft, storeKey: 'complaint', countries: places.countries,
    onFiled: (c) => {
      cdraft = null;
      save('complaint', null);
      location.hash = '#/complaints/' + c.id;
    },
    onDiscard: () => {
      if (!confirm(t('confirmDiscard'))) return;
      cdraft = null;
      save('complaint', null);
      location.hash = '#/';
    },
  }));
}

// The complaints against this booth that wait for its answer, fetched at most every 5 s (and
// on every screen drawn after that): the banner with the countdown on every screen.
const against = { items: [], at: 0, pending: false };

function awaitingAnswer(c) { return ['accepted', 'answer_overdue'].includes(c.state) && !c.answer; }

async function refreshAgainst() {
  if (against.pending || !api.token || Date.now() - against.at < 5000) return;
  against.pending = true;
  try {
    const r = await api.call('GET', '/v1/complaints?as=respondent&limit=100');
    if (r.status === 200) {
      const before = JSON.stringify(against.items.map((c) => c.id + c.state));
      against.items = (r.data.items || []).filter(awaitingAnswer);
      against.at = Date.now();
      if (JSON.stringify(against.items.map((c) => c.id + c.state)) !== before) paintBanner();
    }
  } catch (_) { /* offline: the last answer stands */ }
  against.pending = false;
}

function againstBanner() {
  const box = h('div', { id: 'complaint-banner', 'aria-live': 'polite' });
  queueMicrotask(() => { paintBanner(); refreshAgainst(); });
  return box;
}

async function paintBanner() {
  if (!document.getElementById('complaint-banner') || !against.items.length) {
    const box = document.getElementById('complaint-banner');
    if (box) box.replaceChildren();
    return;
  }
  const { clock, localTime } = await desk();
  const box = document.getElementById('complaint-banner');
  if (!box) return;
  const route = location.hash;
  box.replaceChildren(...against.items.filter((c) => route !== '#/complaints/' + c.id).map((c) => h('div', { class: 'banner-complaint', role: 'alert' },
    h('p', {}, h('strong', {}, c.complaintNumber), ' — ',
      t(c.state === 'answer_overdue' ? 'againstBannerOverdue' : 'againstBanner', { time: localTime(c.respondBy) }), ' ', clock(c.respondBy)),
    h('a', { href: '#/complaints/' + c.id, class: 'button primary' }, t('answerNow') + ' — ' + c.complaintNumber))));
}

setInterval(() => { if (api.token) refreshAgainst(); }, 60000);

// The complaint screens live in their own module (kiosk-complaints.js), loaded when opened.
const kioskScreens = { api, screen, focusHeading, awaitingAnswer, resetBanner: () => { against.at = 0; } };
let kioskDeskModule = null;
function kioskDesk() { return kioskDeskModule || (kioskDeskModule = import('./kiosk-complaints.js')); }

async function complaintsScreen() {
  screen(h('h1', {}, t('myComplaints')), h('p', {}, t('loading')));
  (await kioskDesk()).complaintsScreen(kioskScreens);
}

async function complaintScreen(id) {
  screen(h('p', {}, t('loading')));
  (await kioskDesk()).complaintScreen(kioskScreens, id);
}

// receiptPDF saves the filing's receipt as a PDF (to mail home): fetched with the kiosk's token.
async function receiptPDF(f) {
  const r = await fetch('/v1/filings/' + f.id + '/receipt', { headers: { Authorization: 'Bearer ' + api.token, Accept: 'application/pdf' } }).catch(() => null);
  if (!r || !r.ok) { alert(t('offline')); return; }
  const a = h('a', { href: URL.createObjectURL(await r.blob()), download: f.filingNumber + '-receipt.pdf' });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

// ---- exhibition display certificates (SPEC §12) ----

// The booth's certificates, fetched once when the exhibition claim is first shown (the wizard
// offers them) or the certificates screen opens; their screen is its own module.
let myCerts = null;
function loadCerts(force) {
  if (myCerts && !force) return;
  myCerts = myCerts || [];
  api.call('GET', '/v1/certificates').then((r) => {
    if (r.status !== 200) return;
    const had = JSON.stringify(myCerts);
    myCerts = r.data.items || [];
    if (JSON.stringify(myCerts) !== had && location.hash === '#/draft') rerenderStep();
  }).catch(() => { myCerts = null; });
}

function certNumber(id) {
  const c = (myCerts || []).find((v) => v.id === id);
  return c ? c.certificateNumber : id;
}

async function certificatesScreen() {
  screen(h('h1', {}, t('myCertificates')), h('p', {}, t('loading')));
  const m = await import('./kiosk-certificates.js').catch(() => null);
  if (!m) { screen(h('h1', {}, t('myCertificates')), h('p', { class: 'error-text' }, t('offline'))); return; }
  m.certificatesScreen({ api, screen, focusHeading, setCerts: (v) => { myCerts = v; } });
}

// ---------------------------------------------------------------------------------------------
// Routing, idle reset, start.

function render() {
  onScreen = []; // the fields of the screen being drawn register themselves anew
  const route = location.hash.replace(/^#\/?/, '');
  document.title = t('appTitle');
  if (!api.token) { setupScreen(); return; }
  setupProblem = '';
  const [a, b, c] = route.split('/');
  switch (a) {
    case 'draft': wizardScreen(); break;
    case 'receipt': receiptScreen(b, c === 'amended'); break;
    case 'filings': b ? filingScreen(b) : filingsScreen(); break;
    case 'complaint': complaintFormScreen(); break;
    case 'complaints': b ? complaintScreen(b) : complaintsScreen(); break;
    case 'certificates': certificatesScreen(); break;
    default: homeScreen();
  }
}

api.onUnauthorized = (code) => {
  api.setToken('');
  if (code === 'token_revoked') forgetPersonalData(); // a revoked tablet may be a stolen one
  setupScreen(code === 'token_revoked' ? 'kioskRevoked' : 'tokenInvalid');
};

// Idle reset: after IDLE without a touch (3 minutes; `ipfast.idleMs` on the device changes it),
// ask for IDLE_ASK seconds; with no answer, clear the screen and the draft.
const IDLE = load('idleMs', 180000);
const IDLE_ASK = load('idleAskSeconds', 30);
let idleTimer = null;
let idleDialog = null;

function armIdle() {
  clearTimeout(idleTimer);
  if (idleDialog) return;
  idleTimer = setTimeout(askIdle, IDLE);
}

function askIdle() {
  // Only screens that show personal data are cleared; the start screen shows none (a kept
  // draft appears there by its type and step only).
  if (!api.token || !/^#\/(draft|filings|receipt|complaint)/.test(location.hash)) { armIdle(); return; }
  let left = IDLE_ASK;
  const text = h('p', { id: 'idle-text' }, t('idleHelp', { n: left }));
  const close = () => { clearInterval(tick); idleDialog.remove(); idleDialog = null; armIdle(); };
  const clear = (keep) => {
    clearInterval(tick);
    idleDialog.remove();
    idleDialog = null;
    if (!keep) {
      discardDraft();
      cdraft = null; // the complaint draft too: it holds the rights holder's data
      save('complaint', null);
    }
    location.hash = '#/';
    render();
    armIdle();
  };
  idleDialog = h('div', { class: 'modal', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'idle-title', 'aria-describedby': 'idle-text' },
    h('div', { class: 'card' },
      h('h2', { id: 'idle-title' }, t('idleTitle')), text,
      h('div', { class: 'nav-buttons' },
        h('button', { type: 'button', class: 'primary', onclick: close }, t('idleContinue')),
        draft || cdraft ? h('button', { type: 'button', class: 'secondary', onclick: () => clear(true) }, t('idleKeep')) : null,
        h('button', { type: 'button', class: 'secondary', onclick: () => clear(false) }, t('idleDiscard')))));
  document.body.append(idleDialog);
  idleDialog.querySelector('button').focus();
  const tick = setInterval(() => {
    left -= 1;
    text.textContent = t('idleHelp', { n: left });
    if (left <= 0) clear(false);
  }, 1000);
}

for (const ev of ['pointerdown', 'keydown', 'input', 'touchstart']) document.addEventListener(ev, armIdle, { passive: true });

function paintNetwork() {
  status.textContent = navigator.onLine ? '' : t('offline');
  status.hidden = navigator.onLine;
}
window.addEventListener('online', () => { paintNetwork(); if (draft) { paintCheck(); validateSoon(0); } });
window.addEventListener('offline', () => { paintNetwork(); if (draft) paintCheck(); });
window.addEventListener('hashchange', () => {
  if (/(setup|token)=/.test(location.hash)) { takeLink(); return; } // a set-up link opened on an open kiosk
  render();
  focusHeading();
});

// takeLink takes the set-up code (SPEC §18: what a set-up QR code opens, #setup=…) or a demo's
// token (#token=…) the page was opened with, and forgets the URL.
async function takeLink() {
  const m = location.hash.match(/(setup|token)=([^&]+)/);
  if (!m) return false;
  history.replaceState(null, '', location.pathname + '#/');
  if (m[1] === 'setup') await setUp(decodeURIComponent(m[2]));
  else { api.setToken(decodeURIComponent(m[2])); render(); }
  return true;
}

(async function start() {
  paintNetwork();
  if (!(await takeLink())) render();
  let found;
  [, nice, locarno, found] = await Promise.all([loadExpo(api.token), loadReference('nice', api.token), loadReference('locarno', api.token),
    loadReference('countries', api.token)]);
  if (found && found.countries) places = found;
  render();
  if (draft) validateSoon(0);
  armIdle();
})();

// The service worker keeps the kiosk's page and assets, so that a reload while the hall's
// network is down still opens the wizard with its draft (web/assets.go).
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => { /* not offered: online only */ });
