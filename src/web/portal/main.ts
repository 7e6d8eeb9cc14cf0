/**
 * The resident portal: claim a card, sign in, download it, show the
 * short-lived proof, see and download one's data, erase oneself. The session
 * token lives in this module's memory only (never localStorage or cookies):
 * closing or reloading the tab signs out, and a shared phone keeps nothing.
 */
import { ApiError, createApi } from '../shared/api.js';
import { announce, fill, focusHeading, h } from '../shared/dom.js';
import { applyLanguage, pickLanguage, type Lang } from '../shared/i18n.js';
import { fillHeader } from '../shared/chrome.js';
import type { PortalCtx } from './context.js';
import { homeView } from './home.js';
import { portalTranslator } from './i18n.js';
import { startView } from './start.js';

let lang: Lang = pickLanguage(navigator.languages ?? [navigator.language]);
let leaving: Array<() => void> = [];
let notice = '';

const api = createApi(() => lang, () => ctx.signOut(ctx.t('session.expired')));
const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
const header = h('header', { class: 'top' });
const main = h('main', { id: 'main', tabindex: '-1' });
const skip = h('a', { class: 'skip', href: '#main' });

const ctx: PortalCtx = {
  api,
  t: portalTranslator(lang),
  lang,
  signedIn(token) {
    api.token = token;
    render(true);
  },
  signOut(message) {
    api.token = null;
    notice = message ?? '';
    render(true);
  },
  say: (m) => announce(status, m),
  onLeave: (fn) => leaving.push(fn),
  problem(err) {
    if (err instanceof ApiError) {
      if (err.code === 'network') return ctx.t('error.network');
      // The title comes in the page's language; the detail is English, for developers.
      return err.problem.title || ctx.t('error.generic');
    }
    return ctx.t('error.generic');
  },
};

function render(moveFocus: boolean) {
  for (const fn of leaving.splice(0)) fn();
  applyLanguage(lang);
  const t = ctx.t;
  // The title never names the resident: it shows in tab lists, history and screen shares.
  document.title = t('app.title');
  skip.textContent = t('app.skip');
  fillHeader(header, {
    title: t('app.title'),
    lang,
    languageLabel: t('app.language'),
    onLanguage: (l) => {
      lang = l;
      ctx.lang = l;
      ctx.t = portalTranslator(l);
      render(false);
    },
    ...(api.token ? { signOut: { label: t('app.signOut'), onclick: () => ctx.signOut() } } : {}),
  });
  const root = h('div');
  fill(main, notice ? h('p', { class: 'notice', role: 'status' }, notice) : null, root);
  notice = '';
  const view = api.token ? homeView : startView;
  void Promise.resolve(view(root, ctx)).then(() => moveFocus && focusHeading(root));
}

document.body.append(skip, header, main, status);
render(false);
