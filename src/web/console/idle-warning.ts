/**
 * The idle warning, a minute before the session ends: a modal alert dialog
 * with the seconds left and one button, "Stay signed in" (Escape stays too:
 * whoever pressed it is at the desk). The countdown is not a live region, so
 * a screen reader hears the warning once, not every second.
 */
import { h } from '../shared/dom.js';
import type { T } from './i18n.js';

export function openIdleWarning(opts: { t: T; endsAt: number; now: () => number; onStay: () => void }): { close(): void } {
  const { t } = opts;
  const left = () => String(Math.max(0, Math.ceil((opts.endsAt - opts.now()) / 1000)));
  const text = h('p', { id: 'idle-warning-text' }, t('session.warnText', { s: left() }));
  const stay = h('button', { type: 'button', class: 'primary', onclick: () => done(true) }, t('session.stay'));
  const dialog = h(
    'dialog',
    { class: 'session', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'idle-warning-title', 'aria-describedby': 'idle-warning-text' },
    h('h2', { id: 'idle-warning-title' }, t('session.warnTitle')),
    text,
    h('div', { class: 'row' }, stay),
  );
  const tick = setInterval(() => (text.textContent = t('session.warnText', { s: left() })), 1000);
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    done(true);
  });
  document.body.append(dialog);
  dialog.showModal();
  stay.focus();

  function done(stayed: boolean) {
    clearInterval(tick);
    if (!dialog.isConnected) return;
    dialog.close();
    dialog.remove();
    if (stayed) opts.onStay();
  }
  return { close: () => done(false) };
}
