/**
 * The clerk console: one page, views swapped in memory. The access token
 * lives in this module's memory only, so closing or reloading the tab signs
 * out and nothing about a resident is left in the browser.
 */
import { ApiError, createApi } from '../shared/api.js';
import { announce, fill, focusHeading, h } from '../shared/dom.js';
import { applyLanguage, pickLanguage, type Lang } from '../shared/i18n.js';
import { fillHeader } from '../shared/chrome.js';
import type { Ctx, View, ViewName } from './context.js';
import { consoleTranslator, type Key } from './i18n.js';
import { signinView } from './signin.js';
import { searchView } from './search.js';
import { enrolView } from './enrol.js';
import { residentView } from './resident.js';
import { staffView } from './admin-staff.js';
import { serviceKeysView } from './admin-service-keys.js';
import { keysView } from './admin-keys.js';
import { partnersView } from './admin-partners.js';
import { auditView } from './admin-audit.js';
import { eventsView } from './admin-events.js';

const VIEWS: Record<ViewName, View> = {
  signin: signinView,
  search: searchView,
  enrol: enrolView,
  resident: residentView,
  staff: staffView,
  'service-keys': serviceKeysView,
  keys: keysView,
  partners: partnersView,
  audit: auditView,
  events: eventsView,
};

const TABS: Record<string, Array<[ViewName, Key]>> = {
  clerk: [['search', 'nav.search'], ['enrol', 'nav.enrol']],
  admin: [['staff', 'nav.staff'], ['service-keys', 'nav.serviceKeys'], ['keys', 'nav.keys'], ['partners', 'nav.partners'], ['audit', 'nav.audit']],
  organiser: [['events', 'nav.events']],
};

let lang: Lang = pickLanguage(navigator.languages ?? [navigator.language]);
let current: { view: ViewName; state?: unknown } = { view: 'signin' };
let leaving: Array<() => void> = [];

const api = createApi(() => lang, () => signOut());
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
  show(view, state) {
    current = { view, state };
    render(true);
  },
  say(message) {
    announce(status, message);
  },
  onLeave(fn) {
    leaving.push(fn);
  },
  signedIn(role, token) {
    api.token = token;
    ctx.role = role;
    ctx.show(role === 'admin' ? 'staff' : role === 'organiser' ? 'events' : 'search');
  },
  problem(err) {
    if (err instanceof ApiError) {
      if (err.code === 'network') return ctx.t('error.network');
      const fields = err.problem.errors?.map((e) => `${e.path.replace(/^\/body\//, '')}: ${e.message}`).join('; ');
      return [err.problem.title || ctx.t('error.generic'), err.problem.detail, fields].filter(Boolean).join(' — ');
    }
    return ctx.t('error.generic');
  },
};

function signOut() {
  api.token = null;
  ctx.role = null;
  ctx.show('signin');
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
      render(false);
    },
    ...(ctx.role ? { signOut: { label: t('app.signOut'), onclick: signOut } } : {}),
  });
  const tabs = ctx.role ? (TABS[ctx.role] ?? []) : [];
  nav.hidden = tabs.length === 0;
  nav.setAttribute('aria-label', t('app.sections'));
  fill(
    nav,
    ...tabs.map(([view, key]) =>
      h('button', { type: 'button', 'aria-current': current.view === view ? 'page' : null, onclick: () => ctx.show(view) }, t(key)),
    ),
  );
}

/** Redraws the page; after a navigation the focus goes to the new view's heading. */
function render(moveFocus: boolean) {
  applyLanguage(lang);
  document.title = ctx.t('app.title');
  skip.textContent = ctx.t('app.skip');
  renderChrome();
  for (const fn of leaving.splice(0)) fn();
  const root = h('div');
  fill(main, root);
  void Promise.resolve(VIEWS[current.view](root, ctx, current.state)).then(() => moveFocus && focusHeading(root));
}

document.body.append(skip, header, nav, main, status);
render(false);
