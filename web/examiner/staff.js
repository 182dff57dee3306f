// What the staff pages (console, complaint desk, dashboard, enrolment) share of enrolment (SPEC
// §18): a set-up link opens a page with #setup=<code>, exchanged here for the person's token;
// a person the organiser revoked is told so; and the words of the enrolment screen.
import { t, addStrings } from '/i18n.js';
import { h } from '/common.js';

addStrings({
  staffSetupCode: ['Set-up code (from your set-up link)', '设置码（见您的设置链接）'],
  staffRevoked: ['The organiser has revoked your access. Ask the organiser\'s desk for a new set-up link.', '主办方已撤销您的访问权限，请向主办方服务台重新领取设置链接。'],
  enrolmentTitle: ['Enrolment', '人员与终端登记'],
  toEnrolment: ['Enrolment', '登记管理'],
  toExhibitors: ['Exhibitors', '展商名录'],
});

// setUp exchanges a person's set-up code for their token: '' when it worked, else the key of
// the problem's words (a key, so that a change of language says it again).
async function setUp(api, code) {
  const status = await api.setUp('staff', decodeURIComponent(code));
  return status === 200 ? '' : status ? 'setupCodeInvalid' : 'setupOffline';
}

// takeSetupLink takes the #setup=<code> the page was opened with (if any) and forgets the URL:
// '' when there was none or it worked, else the problem's key.
export async function takeSetupLink(api) {
  const m = location.hash.match(/setup=([^&]+)/);
  if (!m) return '';
  history.replaceState(null, '', location.pathname);
  return setUp(api, m[1]);
}

// unauthorizedKey is the key of what a 401 of code tells the person.
export function unauthorizedKey(code) {
  return code === 'token_revoked' ? 'staffRevoked' : 'tokenInvalid';
}

// codeField is a set-up code input with its button, for a page's sign-in card: done is called
// with the problem's key ('' when set up).
export function codeField(api, done) {
  const input = h('input', { id: 'setup-code', type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' });
  return h('div', { class: 'field setup-code' },
    h('label', { for: 'setup-code' }, t('staffSetupCode')), input,
    h('button', {
      type: 'button', class: 'primary', id: 'set-up', onclick: async () => {
        const code = input.value.trim().replace(/^.*#setup=/, ''); // the code, or its whole link
        if (code) done(await setUp(api, code));
      },
    }, t('setUp')));
}
