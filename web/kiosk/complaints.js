// The complaint desk's pieces (SPEC §11) that the kiosk and the examiner console share: the
// complaint form (kept as a draft at every keystroke, filed under one Idempotency-Key per draft
// and retried until the server answers, as filings are), uploads with the camera, the clocks,
// and the complaint as each party reads it.
import { t, lang, msg } from './i18n.js';
import './complaint-strings.js';
import { h, save, serverNow, colon, paren, semi, sizeText, sleep, randomKey, typeByName, put } from './common.js';
import { sha256hex } from './sha256.js';

// ---- clocks ----

// span is a duration in words: "3 h 12 min", "4 min 05 s".
function span(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hrs = Math.floor(s / 3600);
  const min = Math.floor((s % 3600) / 60);
  if (hrs > 0) return t('hoursMinutes', { h: hrs, m: min });
  return t('minutesSeconds', { m: min, s: String(s % 60).padStart(2, '0') });
}

// localTime is an instant as the server wrote it in the expo's time: "2026-06-24 10:00 (UTC+08:00)".
export function localTime(iso) {
  if (!iso) return '';
  const off = iso.slice(19);
  return iso.slice(0, 16).replace('T', ' ') + paren('UTC' + (off === 'Z' ? '' : off));
}

// clock is an element that counts down to until, every second (ticker), and turns to "overdue".
export function clock(until) {
  const el = h('span', { class: 'clock', 'data-until': until });
  paintClock(el);
  return el;
}

function paintClock(el) {
  const left = Date.parse(el.dataset.until) - serverNow();
  el.textContent = left > 0 ? t('timeLeft', { time: span(left) }) : t('overdueBy', { time: span(-left) });
  el.classList.toggle('overdue', left <= 0);
  el.classList.toggle('soon', left > 0 && left < 3 * 3600 * 1000);
}

setInterval(() => document.querySelectorAll('.clock[data-until]').forEach(paintClock), 1000);

export function cstateLabel(s) { return t('cstate_' + s); }
export function cactionLabel(a) { return t('caction_' + a); }
export function measureLabel(m) { return t('measure_' + m); }
export function missingLabel(code) { return t('missing_' + code); }
export const MEASURES = ['remove_exhibit', 'cover_exhibit', 'remove_promotion', 'cut_links'];
export const OUTCOMES = ['infringement', 'no_infringement', 'mediated', 'referred'];
export const MISSING = ['right_certificate_required', 'right_not_in_force', 'proceedings_pending', 'power_of_attorney_required',
  'respondent_unknown', 'exhibit_required', 'attachment_invalid', 'required'];

// ---- uploads ----

// uploadOne declares a file for role, sends its bytes with a progress bar in box and returns
// {id, role, name, size}, or null after showing why it failed (with a retry).
export async function uploadOne(api, role, file, box, onDone) {
  const bar = h('progress', { max: 100, value: 0 });
  const line = h('div', { class: 'progress' }, h('span', {}, t('uploading', { name: file.name })), bar);
  box.append(line);
  try {
    const buf = await file.arrayBuffer();
    const contentType = file.type || typeByName(file.name);
    const r = await api.call('POST', '/v1/uploads', { role, contentType, size: file.size, sha256: await sha256hex(buf) });
    if (r.status !== 201) throw new Error(((r.data && r.data.errors) || []).map(msg).join(' ') || 'HTTP ' + r.status);
    await put(r.data.upload, buf, (p) => { bar.value = p; });
    line.remove();
    onDone({ id: r.data.id, role, name: file.name, size: file.size });
  } catch (e) {
    line.replaceChildren(h('span', { class: 'error-text' }, t('uploadFailed', { why: e.message || String(e) })),
      h('button', { type: 'button', class: 'secondary small', onclick: () => { line.remove(); uploadOne(api, role, file, box, onDone); } }, t('retry')));
  }
}

// filePicker is the buttons that pick files for role (with the camera for photos).
export function filePicker(role, onFiles, { camera, label } = {}) {
  const pick = (capture) => {
    const accept = role === 'exhibit_photo' ? 'image/jpeg,image/png' : 'application/pdf,image/jpeg,image/png';
    const inp = h('input', { type: 'file', accept, multiple: true, capture: capture ? 'environment' : undefined, class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
    inp.addEventListener('change', () => onFiles([...inp.files]));
    document.body.append(inp);
    inp.click();
    setTimeout(() => inp.remove(), 60000);
  };
  return h('div', { class: 'row' },
    camera ? h('button', { type: 'button', class: 'secondary', 'data-camera': role, onclick: () => pick(true) }, t('takePhoto')) : null,
    h('button', { type: 'button', class: 'secondary', 'data-choose': role, onclick: () => pick(false) }, t('chooseFile') + (label ? ' — ' + label : '')));
}

// uploadList is a role's uploads with a remove button each.
function uploadList(items, onRemove) {
  return h('ul', { class: 'files' }, items.map((u) => h('li', { 'data-att': u.id },
    h('span', { class: 'file-status', 'aria-hidden': 'true' }, '✓ '),
    h('span', {}, t('uploaded') + colon() + u.name + paren(sizeText(u.size))),
    h('button', { type: 'button', class: 'secondary small', onclick: () => onRemove(u.id) }, t('remove') + ' — ' + u.name))));
}

// ---- the form ----

function emptyForm() {
  return {
    complainant: { name: '', kind: 'organization', nationality: '', address: '', idNumber: '', contact: { name: '', email: '', phone: '' } },
    agentOn: false, agent: { name: '' },
    right: { kind: 'invention', number: '', owner: '', validUntil: '' },
    respondent: { booth: '', name: '' },
    exhibits: [{ description: '', photos: [] }],
    grounds: '', attachments: [],
    pendingProceedings: { invalidation: false, litigation: false, ownershipDispute: false },
    language: lang(),
  };
}

export function newComplaintDraft() { return { key: 'complaint-' + randomKey(), form: emptyForm(), uploads: {}, problems: [] }; }

function flat(s) { return String(s || '').replace(/\s+/g, ' ').trim(); }
function opt(v) { return v === '' ? undefined : v; }

// toRequest is the body of POST /v1/complaints for a draft.
export function toRequest(d) {
  const f = d.form;
  const c = f.complainant;
  return {
    complainant: {
      name: flat(c.name), kind: c.kind, nationality: c.nationality, address: flat(c.address), idNumber: opt(flat(c.idNumber)),
      contact: { name: flat(c.contact.name), email: opt(flat(c.contact.email)), phone: opt(flat(c.contact.phone)) },
    },
    agent: f.agentOn ? { name: flat(f.agent.name) } : undefined,
    right: { kind: f.right.kind, number: flat(f.right.number), owner: flat(f.right.owner), validUntil: f.right.validUntil },
    respondent: { booth: flat(f.respondent.booth).toUpperCase(), name: opt(flat(f.respondent.name)) },
    exhibits: f.exhibits.map((x) => ({ description: flat(x.description), photos: x.photos.length ? x.photos : undefined })),
    grounds: String(f.grounds || '').trim(),
    attachments: f.attachments.length ? f.attachments : undefined,
    pendingProceedings: f.pendingProceedings,
    language: f.language,
  };
}

// complaintForm draws the form of draft d (kept under storeKey) into a section. countries are
// GET /v1/reference/countries' items; onFiled gets the complaint the server made.
export function complaintForm({ api, d, storeKey, countries, onFiled, onDiscard }) {
  const f = d.form;
  const keep = () => save(storeKey, d);
  const errs = {}; // pointer → error box
  const labels = {}; // pointer → what the form calls it
  const section = h('section', { class: 'card complaint-form' });
  const fieldErr = (ptr, label) => {
    if (label) labels[ptr] = label;
    const id = 'e' + ptr.replace(/[^A-Za-z0-9]+/g, '-');
    errs[ptr] = h('div', { class: 'field-error', id, 'aria-live': 'polite' });
    return errs[ptr];
  };
  const text = (ptr, label, get, set, { help, rows, type, maxlength, optional, autocomplete } = {}) => {
    const id = 'c' + ptr.replace(/[^A-Za-z0-9]+/g, '-');
    const attrs = { id, 'aria-describedby': id + '-help e' + ptr.replace(/[^A-Za-z0-9]+/g, '-'), maxlength, autocomplete };
    const el = rows ? h('textarea', { ...attrs, rows }) : h('input', { ...attrs, type: type || 'text' });
    el.value = get() || '';
    el.addEventListener('input', () => { set(el.value); fixed(ptr); keep(); });
    return h('div', { class: 'field', 'data-ptr': ptr },
      h('label', { for: id }, label, optional ? h('span', { class: 'tag' }, paren(t('optional'))) : null),
      help ? h('p', { class: 'help', id: id + '-help' }, help) : null,
      el, fieldErr(ptr, label));
  };
  const radios = (ptr, legend, options, get, set) => h('fieldset', { class: 'choice', 'data-ptr': ptr },
    h('legend', {}, legend),
    options.map(([v, label]) => h('label', { class: 'option' },
      h('input', { type: 'radio', name: 'c' + ptr, value: v, checked: get() === v, onchange: () => { set(v); fixed(ptr); keep(); } }), label)),
    fieldErr(ptr, legend));
  const check = (label, get, set) => h('label', { class: 'option' },
    h('input', { type: 'checkbox', checked: get(), onchange: (e) => { set(e.target.checked); keep(); redraw(); } }), label);
  const countrySelect = (ptr, label, get, set) => {
    const id = 'c' + ptr.replace(/[^A-Za-z0-9]+/g, '-');
    const name = (c) => (lang() === 'zh' ? c.name_zh : c.name);
    const sorted = [...countries].sort((a, b) => name(a).localeCompare(name(b), lang() === 'zh' ? 'zh-CN' : 'en'));
    const sel = h('select', { id, 'aria-describedby': 'e' + ptr.replace(/[^A-Za-z0-9]+/g, '-'), onchange: (e) => { set(e.target.value); fixed(ptr); keep(); } },
      h('option', { value: '' }, t('chooseCountry')),
      sorted.map((c) => h('option', { value: c.code, selected: get() === c.code ? true : undefined }, name(c) + paren(c.code))));
    sel.value = get() || '';
    return h('div', { class: 'field', 'data-ptr': ptr }, h('label', { for: id }, label), sel, fieldErr(ptr, label));
  };
  const uploads = (ptr, role, list, { camera, label } = {}) => {
    const box = h('div', { class: 'progress-list', 'aria-live': 'polite' });
    const mine = list().filter((id) => d.uploads[id] && d.uploads[id].role === role).map((id) => ({ id, ...d.uploads[id] }));
    return h('div', { class: 'uploader', 'data-role': role },
      label ? h('p', { class: 'strong' }, label) : null,
      uploadList(mine, (id) => { list().splice(list().indexOf(id), 1); keep(); redraw(); }),
      box,
      filePicker(role, (files) => files.forEach((file) => uploadOne(api, role, file, box, (u) => {
        d.uploads[u.id] = { role: u.role, name: u.name, size: u.size };
        list().push(u.id);
        fixed(ptr || '/attachments', true);
        keep();
        redraw();
      })), { camera, label: camera ? undefined : label }),
      ptr ? fieldErr(ptr, label) : null);
  };

  function redraw() {
    for (const k of Object.keys(errs)) delete errs[k];
    for (const k of Object.keys(labels)) delete labels[k];
    const c = f.complainant;
    section.replaceChildren(
      h('h1', {}, t('complaintForm')),
      h('p', { class: 'help' }, t('complaintFormHelp')),
      h('fieldset', { class: 'group' }, h('legend', {}, t('complainantTitle')),
        text('/complainant/name', t('complainantName'), () => c.name, (v) => { c.name = v; }, { autocomplete: 'organization' }),
        radios('/complainant/kind', t('complainantKind'), [['organization', t('organization')], ['individual', t('individual')]], () => c.kind, (v) => { c.kind = v; }),
        countrySelect('/complainant/nationality', t('nationality'), () => c.nationality, (v) => { c.nationality = v; }),
        text('/complainant/address', t('address'), () => c.address, (v) => { c.address = v; }),
        text('/complainant/idNumber', t('idNumber'), () => c.idNumber, (v) => { c.idNumber = v; }, { optional: true, help: t('complaintIdHelp') }),
        h('div', { class: 'row' },
          text('/complainant/contact/name', t('contactPerson'), () => c.contact.name, (v) => { c.contact.name = v; }, { autocomplete: 'name' }),
          text('/complainant/contact/email', t('email'), () => c.contact.email, (v) => { c.contact.email = v; }, { type: 'email', autocomplete: 'email' }),
          text('/complainant/contact/phone', t('phone'), () => c.contact.phone, (v) => { c.contact.phone = v; }, { type: 'tel', autocomplete: 'tel' })),
        check(t('agentOn'), () => f.agentOn, (v) => { f.agentOn = v; }),
        f.agentOn ? text('/agent/name', t('complaintAgentName'), () => f.agent.name, (v) => { f.agent.name = v; }) : null),
      h('fieldset', { class: 'group' }, h('legend', {}, t('rightTitle')),
        radios('/right/kind', t('rightKind'), ['invention', 'utility_model', 'design', 'trademark'].map((k) => [k, t('right_' + k)]),
          () => f.right.kind, (v) => { f.right.kind = v; }),
        h('div', { class: 'row' },
          text('/right/number', t('rightNumber'), () => f.right.number, (v) => { f.right.number = v; }, { help: t('rightNumberHelp') }),
          text('/right/validUntil', t('validUntil'), () => f.right.validUntil, (v) => { f.right.validUntil = v; }, { type: 'date' })),
        text('/right/owner', t('rightOwner'), () => f.right.owner, (v) => { f.right.owner = v; }),
        h('fieldset', { class: 'choice', 'data-ptr': '/pendingProceedings' }, h('legend', {}, t('pendingTitle')),
          h('p', { class: 'help' }, t('pendingHelp')),
          ['invalidation', 'litigation', 'ownershipDispute'].map((k) => check(t('pending_' + k), () => f.pendingProceedings[k], (v) => { f.pendingProceedings[k] = v; })),
          fieldErr('/pendingProceedings', t('pendingTitle')))),
      h('fieldset', { class: 'group' }, h('legend', {}, t('respondentTitle')),
        h('div', { class: 'row' },
          text('/respondent/booth', t('respondentBooth'), () => f.respondent.booth, (v) => { f.respondent.booth = v; }, { help: t('respondentBoothHelp'), maxlength: 32 }),
          text('/respondent/name', t('respondentName'), () => f.respondent.name, (v) => { f.respondent.name = v; }, { optional: true }))),
      h('fieldset', { class: 'group', 'data-ptr': '/exhibits' }, h('legend', {}, t('exhibitsTitle')),
        f.exhibits.map((x, i) => h('div', { class: 'exhibit', 'data-exhibit': i },
          h('h3', {}, t('exhibitN', { n: i + 1 })),
          text('/exhibits/' + i + '/description', t('exhibitDescription'), () => x.description, (v) => { x.description = v; }),
          uploads('/exhibits/' + i + '/photos', 'exhibit_photo', () => x.photos, { camera: true, label: t('exhibitPhotos') }),
          f.exhibits.length > 1 ? h('button', { type: 'button', class: 'secondary small', onclick: () => { f.exhibits.splice(i, 1); keep(); redraw(); } },
            t('removeExhibit', { n: i + 1 })) : null)),
        h('button', { type: 'button', class: 'secondary', onclick: () => { f.exhibits.push({ description: '', photos: [] }); keep(); redraw(); } }, t('addExhibit')),
        fieldErr('/exhibits', t('exhibitsTitle'))),
      h('fieldset', { class: 'group' }, h('legend', {}, t('groundsTitle')),
        text('/grounds', t('grounds'), () => f.grounds, (v) => { f.grounds = v; }, { rows: 5, help: t('groundsHelp'), maxlength: 5000 })),
      h('fieldset', { class: 'group', 'data-ptr': '/attachments' }, h('legend', {}, t('complaintDocuments')),
        uploads(null, 'right_certificate', () => f.attachments, { label: t('role_right_certificate') + paren(t('required')) }),
        uploads(null, 'evidence', () => f.attachments, { label: t('role_evidence') + paren(t('optional')) }),
        f.agentOn ? uploads(null, 'power_of_attorney', () => f.attachments, { label: t('role_power_of_attorney') + paren(t('required')) }) : null,
        uploads(null, 'id_document', () => f.attachments, { label: t('role_id_document') + paren(t('optional')) }),
        fieldErr('/attachments', t('complaintDocuments'))),
      radios('/language', t('complaintLanguage'), [['zh', t('lang_zh')], ['en', t('lang_en')]], () => f.language, (v) => { f.language = v; }),
      h('div', { id: 'complaint-problems', class: 'step-problems', 'aria-live': 'polite' }),
      h('div', { class: 'nav-buttons' },
        h('button', { type: 'button', class: 'primary big', id: 'file-complaint', onclick: () => file() }, t('fileComplaintNow')),
        onDiscard ? h('button', { type: 'button', class: 'secondary', onclick: onDiscard }, t('discardDraft')) : null),
      h('div', { id: 'complaint-status', 'aria-live': 'polite' }));
    showProblems();
  }

  // fixed forgets the server's problems at ptr (and below it) once the person changes that
  // field: they were about what it held before. With quiet, the caller redraws.
  function fixed(ptr, quiet) {
    const before = (d.problems || []).length;
    d.problems = (d.problems || []).filter((p) => p.field !== ptr && !(p.field || '').startsWith(ptr + '/'));
    if (d.problems.length === before || quiet) return;
    for (const box of Object.values(errs)) box.replaceChildren();
    section.querySelectorAll('[aria-invalid=true]').forEach((el) => el.removeAttribute('aria-invalid'));
    showProblems();
  }

  // showProblems puts each of the server's problems at its field (the nearest one drawn) and
  // lists them all above the button.
  function showProblems() {
    const all = d.problems || [];
    const named = [];
    for (const p of all) {
      let ptr = p.field || '';
      while (ptr && !errs[ptr]) ptr = ptr.replace(/\/[^/]*$/, '');
      if (errs[ptr]) {
        errs[ptr].append(h('p', {}, msg(p)));
        const input = section.querySelector('[data-ptr="' + ptr + '"] input, [data-ptr="' + ptr + '"] textarea, [data-ptr="' + ptr + '"] select');
        if (input) input.setAttribute('aria-invalid', 'true');
      }
      // The list names each field as the form does ("Exhibit 1 — What it is…: required").
      const ex = (p.field || '').match(/^\/exhibits\/(\d+)/);
      const where = labels[ptr] ? (ex ? t('exhibitN', { n: +ex[1] + 1 }) + ' — ' : '') + labels[ptr] + colon() : '';
      named.push(where + msg(p));
    }
    const box = section.querySelector('#complaint-problems');
    if (box) {
      box.replaceChildren(...(all.length ? [h('p', { class: 'strong' }, t('complaintProblems')),
        h('ul', { class: 'problems' }, named.map((x) => h('li', {}, x)))] : []));
    }
  }

  let filing = false;
  async function file() {
    if (filing) return;
    filing = true;
    const btn = section.querySelector('#file-complaint');
    const say = (s, cls) => { const el = section.querySelector('#complaint-status'); if (el) el.replaceChildren(h('p', { class: cls || '' }, s)); };
    if (btn) btn.disabled = true;
    say(t('submitting'));
    const body = toRequest(d);
    for (let attempt = 0; ; attempt++) {
      let r = null;
      try {
        r = await api.call('POST', '/v1/complaints', body, { 'Idempotency-Key': d.key });
      } catch (_) { /* not sent or no answer: try again */ }
      if (r && r.status !== 429 && r.status < 500) {
        filing = false;
        if (r.status === 201) { onFiled(r.data); return; }
        d.problems = (r.data && r.data.errors) || [{ message: (r.data && (r.data.detail || r.data.title)) || 'HTTP ' + r.status }];
        keep();
        redraw();
        const first = section.querySelector('[aria-invalid=true]') || section.querySelector('#complaint-problems');
        if (first) first.focus();
        say(t('complaintNotReady'), 'error-text');
        return;
      }
      say(t('waitingNetwork'), 'waiting');
      await Promise.race([sleep(Math.min(10000, 500 * 2 ** attempt)), new Promise((ok) => window.addEventListener('online', ok, { once: true }))]);
    }
  }

  redraw();
  return section;
}

// ---- reading a complaint ----

// docLinks are buttons that open a complaint's documents (a fresh short-lived link each).
function docButton(api, c, doc, label) {
  return h('button', {
    type: 'button', class: 'secondary small', onclick: async () => {
      const r = await api.call('GET', '/v1/complaints/' + c.id + '/attachments/' + doc.id);
      if (r.status === 200) window.open(r.data.url, '_blank', 'noopener');
    },
  }, t('openDocument') + ' — ' + label);
}

// photo is an exhibit photo shown small, loaded through its link.
function photo(api, c, id, alt) {
  const img = h('img', { class: 'thumb', alt });
  api.call('GET', '/v1/complaints/' + c.id + '/attachments/' + id).then((r) => { if (r.status === 200) img.src = r.data.url; }).catch(() => {});
  return img;
}

// complaintDetails is a complaint as its reader may see it: what the server sent (masked for
// the respondent), its clock, its documents, the answer, the decision and the history.
export function complaintDetails(api, c) {
  const row = (label, ...value) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, ...value));
  const cp = c.complainant;
  const docs = (c.documents || []).filter((x) => x.role !== 'exhibit_photo');
  const waiting = c.respondBy && ['incomplete', 'accepted', 'answer_overdue'].includes(c.state);
  return [
    h('table', { class: 'summary' }, h('tbody', {},
      row(t('complaintNumber'), h('strong', {}, c.complaintNumber)),
      row(t('state'), h('span', { class: 'cstate cstate-' + c.state }, cstateLabel(c.state))),
      waiting ? row(c.state === 'incomplete' ? t('supplementBy') : t('respondByLabel'), localTime(c.respondBy), ' · ', clock(c.respondBy)) : null,
      row(t('complaintReceivedAt'), localTime(c.receivedAt)),
      row(t('complainant'), cp.name + ' · ' + cp.nationality + (cp.idNumber ? ' · ' + cp.idNumber : ''),
        cp.contact ? h('br') : null, cp.contact ? [cp.contact.name, cp.contact.email, cp.contact.phone].filter((x) => x).join(' · ') : null),
      c.agent ? row(t('complaintAgentName'), c.agent.name) : null,
      row(t('rightRow'), t('right_' + c.right.kind) + ' ' + c.right.number, h('br'), c.right.owner + ' · ' + t('validUntil') + ' ' + c.right.validUntil),
      row(t('respondent'), t('respondentBooth') + ' ' + c.respondent.booth + (c.respondent.name ? ' · ' + c.respondent.name : '')))),
    h('h2', {}, t('exhibitsTitle')),
    h('ol', { class: 'exhibits' }, (c.exhibits || []).map((x, i) => h('li', {}, h('p', {}, x.description),
      (x.photos || []).length ? h('div', { class: 'thumbs' }, x.photos.map((id, j) => photo(api, c, id, t('exhibitN', { n: i + 1 }) + ' · ' + (j + 1)))) : null))),
    c.grounds ? [h('h2', {}, t('groundsTitle')), h('p', { class: 'grounds' }, c.grounds)] : null,
    docs.length ? [h('h2', {}, t('complaintDocuments')), h('ul', { class: 'files' }, docs.map((x) => h('li', {}, docButton(api, c, x, t('role_' + x.role)))))] : null,
    (c.missing || []).length && c.state === 'incomplete' ? h('div', { class: 'notice' }, h('p', { class: 'strong' }, t('supplementAsked')),
      h('ul', {}, c.missing.map((m) => h('li', {}, missingLabel(m))))) : null,
    c.answer ? h('div', { class: 'card answer' }, h('h2', {}, t('answerLabel') + (c.answer.late ? paren(t('answeredLate')) : '')),
      h('p', {}, c.answer.statement), h('p', { class: 'muted' }, localTime(c.answer.at)),
      (c.answer.documents || []).length ? h('ul', { class: 'files' }, c.answer.documents.map((x) => h('li', {}, docButton(api, c, x, t('role_' + x.role))))) : null) : null,
    (c.proposedMeasures || []).length ? h('div', { class: 'notice' }, h('p', { class: 'strong' }, t('proposedMeasures')),
      h('ul', {}, c.proposedMeasures.map((m) => h('li', {}, measureLabel(m))))) : null,
    c.decision ? h('div', { class: 'card decision' }, h('h2', {}, t('decisionTitle')),
      h('p', { class: 'strong' }, t('outcome_' + c.decision.outcome)),
      (c.decision.measures || []).length ? h('p', {}, t('measures') + colon() + c.decision.measures.map(measureLabel).join(semi())) : null,
      c.decision.note ? h('p', {}, c.decision.note) : null, h('p', { class: 'muted' }, localTime(c.decision.decidedAt))) : null,
    (c.history || []).length ? [h('h2', {}, t('history')), h('ol', { class: 'history' }, c.history.map((ev) => h('li', {},
      localTime(ev.at) + ' · ' + cactionLabel(ev.action) + ' · ' + (ev.role === 'kiosk' ? t('actor_kiosk') : ev.role === 'system' || !ev.role ? '' : t('ipOfficer')) + (ev.note ? ' — ' + ev.note : ''))))] : null,
  ];
}
