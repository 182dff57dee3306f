// The kiosk's complaint screens (SPEC §11), loaded when one is opened: the kiosk's complaints
// and those against its booth with their clocks, one complaint as its reader may see it, the
// respondent's answer and the complainant's supplement with their evidence. k is what the kiosk
// lends them: its API client, screen, focusHeading, awaitingAnswer and resetBanner.
import { t, msg } from './i18n.js';
import { h, load, save, claimsOf, colon, paren } from './common.js';
import { complaintDetails, cstateLabel, clock, localTime, uploadOne, filePicker } from './complaints.js';

export async function complaintsScreen(k) {
  const { api, screen, focusHeading } = k;
  let mine = [];
  let theirs = [];
  try {
    const [a, b] = await Promise.all([api.call('GET', '/v1/complaints?as=complainant&limit=100'), api.call('GET', '/v1/complaints?as=respondent&limit=100')]);
    if (a.status === 200) mine = a.data.items || [];
    if (b.status === 200) theirs = b.data.items || [];
  } catch (_) {
    screen(h('h1', {}, t('myComplaints')), h('p', { class: 'error-text' }, t('offline')));
    return;
  }
  const table = (items, against) => (items.length ? h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, [t('complaintNumber'), against ? t('rightRow') : t('respondent'), t('state'), t('clock'), ''].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, items.map((c) => h('tr', { 'data-id': c.id },
      h('td', {}, c.complaintNumber),
      h('td', {}, against ? t('right_' + c.right.kind) + ' ' + c.right.number : t('respondentBooth') + ' ' + c.respondent.booth),
      h('td', { class: 'cstate-' + c.state }, cstateLabel(c.state)),
      h('td', {}, c.respondBy && ['incomplete', 'accepted', 'answer_overdue'].includes(c.state) && !c.answer ? clock(c.respondBy) : ''),
      h('td', {}, h('a', { href: '#/complaints/' + c.id, class: 'button secondary small', 'aria-label': t('open') + ' — ' + c.complaintNumber }, t('open')))))))
    : h('p', {}, t('noComplaints')));
  screen(h('h1', {}, t('myComplaints')),
    h('div', { class: 'nav-buttons' },
      h('a', { href: '#/complaint', class: 'button primary' }, t('fileComplaint')),
      h('button', { type: 'button', class: 'secondary', onclick: () => { k.resetBanner(); complaintsScreen(k); } }, t('refresh'))),
    h('h2', {}, t('againstMe')), table(theirs, true),
    h('h2', {}, t('mine')), table(mine, false));
  focusHeading();
}

// evidenceBox is an upload area for a later step (an answer, a supplement): the uploads of roles
// chosen go into ids.
function evidenceBox(api, roles, ids, names) {
  const box = h('div', { class: 'progress-list', 'aria-live': 'polite' });
  const list = h('ul', { class: 'files' });
  const paint = () => list.replaceChildren(...ids.map((id) => h('li', {}, '✓ ' + t('role_' + names[id].role) + colon() + names[id].name + ' ',
    h('button', { type: 'button', class: 'secondary small', onclick: () => { ids.splice(ids.indexOf(id), 1); paint(); } }, t('remove') + ' — ' + names[id].name))));
  return h('div', { class: 'uploader' }, list, box, roles.map((role) => filePicker(role, (files) => files.forEach((file) => uploadOne(api, role, file, box, (u) => {
    names[u.id] = u;
    ids.push(u.id);
    paint();
  })), { camera: role === 'exhibit_photo', label: t('role_' + role) })));
}

export async function complaintScreen(k, id) {
  const { api, screen, focusHeading } = k;
  let c;
  try {
    const r = await api.call('GET', '/v1/complaints/' + id);
    if (r.status !== 200) throw new Error((r.data && r.data.detail) || 'HTTP ' + r.status);
    c = r.data;
  } catch (e) {
    screen(h('p', { class: 'error-text' }, t('error', { why: e.message })));
    return;
  }
  const me = claimsOf(api.token) || {};
  const complainant = c.filer === me.exhibitor;
  const respondent = !complainant && c.respondent.booth === me.booth;
  const status = h('div', { id: 'complaint-action-status', 'aria-live': 'polite' });
  const act = async (path, body, done) => {
    status.replaceChildren(h('p', {}, t('submitting')));
    try {
      const r = await api.call('POST', '/v1/complaints/' + c.id + path, body);
      if (r.status === 200) { k.resetBanner(); if (done) done(); complaintScreen(k, c.id); return; }
      status.replaceChildren(h('div', { class: 'step-problems' }, ((r.data && r.data.errors) || [{ message: 'HTTP ' + r.status }]).map((p) => h('p', {}, msg(p)))));
    } catch (_) {
      status.replaceChildren(h('p', { class: 'error-text' }, t('offline')));
    }
  };
  let form = null;
  if (respondent && k.awaitingAnswer(c)) {
    const kept = load('answer.' + c.id, { statement: '', ids: [], names: {} });
    const keep = () => save('answer.' + c.id, kept);
    const ta = h('textarea', { id: 'statement', rows: 6, maxlength: 5000, 'aria-describedby': 'statement-help' });
    ta.value = kept.statement;
    ta.addEventListener('input', () => { kept.statement = ta.value; keep(); });
    form = h('section', { class: 'card', id: 'answer-form' },
      h('h2', {}, t('answerTitle')),
      h('p', {}, t('respondByLabel') + colon() + localTime(c.respondBy) + ' · ', clock(c.respondBy)),
      h('div', { class: 'field' }, h('label', { for: 'statement' }, t('statement')), h('p', { class: 'help', id: 'statement-help' }, t('statementHelp')), ta),
      h('fieldset', { class: 'group' }, h('legend', {}, t('answerEvidence'), h('span', { class: 'tag' }, paren(t('optional')))),
        evidenceBox(api, ['evidence', 'right_certificate', 'exhibit_photo'], kept.ids, kept.names)),
      h('button', { type: 'button', class: 'primary big', id: 'send-answer', onclick: () => { keep(); act('/answer', { statement: kept.statement.trim(), attachments: kept.ids }, () => save('answer.' + c.id, null)); } }, t('sendAnswer')),
      status);
  } else if (complainant && c.state === 'incomplete') {
    const ids = [];
    const names = {};
    const ta = h('textarea', { id: 'supplement-grounds', rows: 4, maxlength: 5000 });
    form = h('section', { class: 'card', id: 'supplement-form' },
      h('h2', {}, t('supplementTitle')),
      h('fieldset', { class: 'group' }, h('legend', {}, t('complaintDocuments')), evidenceBox(api, ['right_certificate', 'evidence', 'power_of_attorney', 'id_document'], ids, names)),
      h('div', { class: 'field' }, h('label', { for: 'supplement-grounds' }, t('grounds'), h('span', { class: 'tag' }, paren(t('optional')))), ta),
      h('button', { type: 'button', class: 'primary', onclick: () => act('/supplement', { attachments: ids, grounds: ta.value.trim() }) }, t('sendSupplement')),
      status);
  }
  screen(h('section', { class: 'card complaint' },
    h('h1', {}, respondent ? t('againstMe') : t('complaintFiled')),
    complaintDetails(api, c),
    complainant && ['submitted', 'incomplete', 'accepted'].includes(c.state) ? h('div', { class: 'nav-buttons' },
      h('button', { type: 'button', class: 'secondary', onclick: () => { if (confirm(t('confirmWithdrawComplaint'))) act('/withdraw'); } }, t('withdrawComplaint'))) : null,
    form ? null : status),
  form,
  h('div', { class: 'nav-buttons' }, h('a', { href: '#/complaints', class: 'button secondary' }, t('backToList'))));
  focusHeading();
}
