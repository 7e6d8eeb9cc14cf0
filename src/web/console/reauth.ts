/**
 * Sign in again, over the view: when the session ends (idle, revoked, the
 * account changed), this modal dialog asks the same clerk for their password.
 * The view behind it stays in the page, hidden from sight while the desk is
 * unattended (`body.locked`), so a half-filled form comes back as it was.
 * "Sign out" gives up and discards it. Escape does not close it.
 */
import { field, h } from '../shared/dom.js';
import type { EndReason } from './session.js';
import type { T } from './i18n.js';

export interface ReauthOptions {
  t: T;
  username: string;
  reason: EndReason;
  idleMinutes: number;
  /** Throws a message for the clerk when refused. */
  signIn(password: string): Promise<void>;
  signOut(): void;
}

export function openReauth(opts: ReauthOptions): { close(): void } {
  const { t } = opts;
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', readonly: true, value: opts.username });
  const pass = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('session.reauthSubmit'));
  const out = h('button', { type: 'button', onclick: () => (close(), opts.signOut()) }, t('session.reauthSignOut'));
  const form = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.textContent = '';
        submit.disabled = true;
        try {
          await opts.signIn(pass.value);
          close();
        } catch (err) {
          error.textContent = err instanceof Error ? err.message : String(err);
          pass.value = '';
          pass.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    field(t('signin.username'), user),
    field(t('signin.password'), pass),
    error,
    h('div', { class: 'row' }, submit, out),
  );
  const text = opts.reason === 'idle' ? t('session.idleEnded', { min: opts.idleMinutes }) : t('session.ended');
  const dialog = h(
    'dialog',
    { class: 'session', 'aria-modal': 'true', 'aria-labelledby': 'reauth-title', 'aria-describedby': 'reauth-text' },
    h('h2', { id: 'reauth-title' }, t('session.reauthTitle')),
    h('p', { id: 'reauth-text' }, text),
    form,
  );
  dialog.addEventListener('cancel', (e) => e.preventDefault());
  document.body.classList.add('locked');
  document.body.append(dialog);
  dialog.showModal();
  pass.focus();

  function close() {
    if (!dialog.isConnected) return;
    dialog.close();
    dialog.remove();
    document.body.classList.remove('locked');
  }
  return { close };
}
