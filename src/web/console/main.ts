/**
 * The clerk console: one page, views swapped in memory. The access token
 * lives in memory only; the session survives a reload through its HttpOnly
 * refresh cookie (session.ts), and nothing about a resident is left in the
 * browser.
 */
import { ApiError, createApi } from '../shared/api.js';
import { announce, fill, focusHeading, h } from '../shared/dom.js';
import { applyLanguage, formatList, pickLanguage, type Lang } from '../shared/i18n.js';
import { fieldKey } from './field-names.js';
import { fillHeader } from '../shared/chrome.js';
import type { Ctx, View, ViewName } from './context.js';
import { consoleTranslator, type Key } from './i18n.js';
import { signinView } from './signin.js';
import { searchView } from './search.js';
import { enrolView } from './enrol.js';
import { residentView } from './resident.js';
import { editView } from './edit.js';
import { passwordView } from './password.js';
import { staffView } from './admin-staff.js';
import { serviceKeysView } from './admin-service-keys.js';
import { keysView } from './admin-keys.js';
import { partnersView } from './admin-partners.js';
import { auditView } from './admin-audit.js';
import { eventsView } from './admin-events.js';
import { createSession, type EndReason } from './session.js';
import { openIdleWarning } from './idle-warning.js';
import { openReauth } from './reauth.js';
import { keepDraft, restoreDraft, type Draft } from './form-keep.js';
import { benefitsView } from './admin-benefits.js';

const VIEWS: Record<ViewName, View> = {
  signin: signinView,
  search: searchView,
  enrol: enrolView,
  resident: residentView,
  edit: editView,
  password: passwordView,
  staff: staffView,
  'service-keys': serviceKeysView,
  keys: keysView,
  partners: partnersView,
  audit: auditView,
  events: eventsView,
  benefits: benefitsView,
};

const TABS: Record<string, Array<[ViewName, Key]>> = {
  clerk: [['search', 'nav.search'], ['enrol', 'nav.enrol']],
  admin: [['staff', 'nav.staff'], ['service-keys', 'nav.serviceKeys'], ['keys', 'nav.keys'], ['partners', 'nav.partners'], ['benefits', 'nav.benefits'], ['audit', 'nav.audit']],
  organiser: [['events', 'nav.events']],
};

let lang: Lang = pickLanguage(navigator.languages ?? [navigator.language]);
let current: { view: ViewName; state?: unknown } = { view: 'signin' };
let leaving: Array<() => void> = [];

// A 401 renews the session, or waits for the clerk to sign in again, then the call goes once more.
const api = createApi(() => lang, () => session.renewOrWait());
const session = createSession(api, {
  warn: (endsAt) => {
    warning?.close();
    warning = openIdleWarning({ t: ctx.t, endsAt, now: () => Date.now(), onStay: () => void session.stay() });
  },
  unwarn: () => {
    warning?.close();
    warning = null;
  },
  ended: (reason) => lock(reason),
  signedOutElsewhere: () => signOut(),
});
let warning: { close(): void } | null = null;
let reauth: { close(): void } | null = null;
let username = '';
let idleMinutes = 15;
const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
const header = h('header', { class: 'top' });
const nav = h('nav', { class: 'tabs' });
const main = h('main', { id: 'main', tabindex: '-1' });
const skip = h('a', { class: 'skip', href: '#main' });

const ctx: Ctx = {
  api,
  t: consoleTranslator(lang),
  lang,
  role: null,
  session,
  mustChangePassword: false,
  show(view, state) {
    // A one-time password is replaced before anything else is done.
    if (ctx.mustChangePassword && ctx.role && view !== 'signin') view = 'password';
    current = { view, state };
    render(true);
  },
  say(message) {
    announce(status, message);
  },
  onLeave(fn) {
    leaving.push(fn);
  },
  signedIn(grant) {
    ctx.role = grant.role;
    // Also after a reload: a one-time password is still to be replaced.
    ctx.mustChangePassword = grant.passwordChangeRequired === true;
    username = grant.username;
    idleMinutes = Math.round(grant.idleTimeout / 60);
    ctx.show(grant.role === 'admin' ? 'staff' : grant.role === 'organiser' ? 'events' : 'search');
  },
  problem(err) {
    if (err instanceof ApiError) {
      if (err.code === 'network') return ctx.t('error.network');
      // The title comes translated; the detail and the field messages are English for developers, and a
      // path (`languages/0`) is no word for a clerk: the refused fields are named by their labels.
      const labels = [...new Set((err.problem.errors ?? []).map((e) => fieldKey(e.path)).filter((k) => k !== null))].map((k) => ctx.t(k));
      const fields = labels.length ? ctx.t('error.fields', { list: formatList(ctx.lang, labels) }) : '';
      return [err.problem.title || ctx.t('error.generic'), fields].filter(Boolean).join(' — ');
    }
    return ctx.t('error.generic');
  },
};

const consoleRole = (role: string) => role in TABS;

/** Back to the sign-in page; whatever was on screen is discarded. */
function signOut() {
  warning?.close();
  reauth?.close();
  warning = reauth = null;
  api.token = null;
  ctx.role = null;
  ctx.mustChangePassword = false;
  ctx.show('signin');
}

/** The session ended with the page open: sign in again over the view, which stays as it was. */
function lock(reason: EndReason) {
  if (!ctx.role || reauth) return;
  reauth = openReauth({
    t: ctx.t,
    username,
    reason,
    idleMinutes,
    signIn: async (password) => {
      let grant;
      try {
        grant = await session.signIn(username, password);
      } catch (err) {
        throw new Error(ctx.problem(err));
      }
      reauth = null;
      if (grant.role !== ctx.role) ctx.signedIn(grant); // the account's rights changed: its own first view
      else ctx.say(ctx.t('session.back'));
    },
    signOut: () => {
      reauth = null;
      void session.signOut();
      signOut();
    },
  });
}

function renderChrome() {
  const t = ctx.t;
  fillHeader(header, {
    title: t('app.title'),
    lang,
    languageLabel: t('app.language'),
    onLanguage: (l) => {
      lang = l;
      ctx.lang = l;
      ctx.t = consoleTranslator(l);
      // The same view in the new language, with what was typed in it.
      render(false, keepDraft(main));
      document.getElementById('lang-picker')?.focus();
    },
    ...(ctx.role ? { signOut: { label: t('app.signOut'), onclick: () => void session.signOut().then(signOut) } } : {}),
  });
  const tabs: Array<[ViewName, Key]> = !ctx.role || ctx.mustChangePassword ? [] : [...(TABS[ctx.role] ?? []), ['password', 'nav.password']];
  nav.hidden = tabs.length === 0;
  nav.setAttribute('aria-label', t('app.sections'));
  fill(
    nav,
    ...tabs.map(([view, key]) =>
      h('button', { type: 'button', 'aria-current': current.view === view ? 'page' : null, onclick: () => ctx.show(view) }, t(key)),
    ),
  );
}

/** Redraws the page; after a navigation the focus goes to the new view's heading; a draft is typed back in. */
function render(moveFocus: boolean, draft?: Draft) {
  renderFrame();
  for (const fn of leaving.splice(0)) fn();
  const root = h('div');
  fill(main, root);
  void Promise.resolve(VIEWS[current.view](root, ctx, current.state)).then(() => {
    if (draft) restoreDraft(root, draft);
    if (moveFocus) focusHeading(root);
  });
}

/** The page around the views: language and direction, title, header and tabs. */
function renderFrame() {
  applyLanguage(lang);
  document.title = ctx.t('app.title');
  skip.textContent = ctx.t('app.skip');
  renderChrome();
}

// What counts as the clerk being there; watched in the capture phase so no view can hide it.
for (const type of ['keydown', 'pointerdown', 'wheel', 'input'] as const) document.addEventListener(type, () => session.activity(), { capture: true, passive: true });
// Timers sleep with the device and in the back-forward cache: look again when the page is seen.
document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && session.check());
window.addEventListener('pageshow', (e) => e.persisted && session.check());

document.body.append(skip, header, nav, main, status);
// F5 and Back keep the session: resume it from the refresh cookie before showing the sign-in page.
renderFrame();
main.setAttribute('aria-busy', 'true');
void session.resume().then(async (grant) => {
  main.removeAttribute('aria-busy');
  if (grant && consoleRole(grant.role)) return ctx.signedIn(grant);
  if (grant) await session.signOut();
  render(false);
});
