/**
 * Changing one's own password (POST /v1/auth/password). After a sign-in
 * with a one-time password (the first admin's, or an administrator's reset)
 * this is the only view until the user has chosen their own. The change
 * ends every session of the account, this one's refresh token included, so
 * the console signs in again at once with the new password (session.ts).
 */
import { field, h } from '../shared/dom.js';
import type { View } from './context.js';
import { CONSOLE_ROLES } from './signin.js';

export const passwordView: View = (root, ctx) => {
  const { t } = ctx;
  const required = ctx.mustChangePassword;
  const current = h('input', { type: 'password', name: 'current-password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', required: true, minlength: 12, maxlength: 256 });
  const again = h('input', { type: 'password', name: 'new-password-again', autocomplete: 'new-password', required: true, minlength: 12, maxlength: 256 });
  const error = h('p', { class: 'error', role: 'alert' });
  const done = h('p', { role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('password.submit'));
  const form = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.textContent = done.textContent = '';
        done.className = '';
        if (next.value !== again.value) {
          error.textContent = t('password.mismatch');
          again.focus();
          return;
        }
        submit.disabled = true;
        try {
          const chosen = next.value;
          const username = ctx.session.username;
          await ctx.api.request('POST', '/v1/auth/password', { json: { current: current.value, next: chosen } });
          current.value = next.value = again.value = '';
          ctx.say(t('password.done'));
          if (required && !CONSOLE_ROLES.includes(ctx.role ?? '')) {
            // Their work is on the verifier page: the console signs them out, saying where to go.
            await ctx.session.signOut();
            ctx.role = null;
            ctx.mustChangePassword = false;
            ctx.show('signin', { done: t('password.doneVerifier') });
            return;
          }
          // A new session in place of the one the change ended.
          const grant = username ? await ctx.session.signIn(username, chosen) : null;
          if (required && grant) {
            ctx.signedIn(grant);
            return;
          }
          done.className = 'notice ok';
          done.textContent = t('password.done');
        } catch (err) {
          error.textContent = ctx.problem(err);
          current.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    field(t('password.current'), current),
    field(t('password.next'), next, { hint: t('password.nextHint') }),
    field(t('password.again'), again),
    error,
    h('div', { class: 'row' }, submit),
  );
  root.append(h('h1', {}, t('password.title')));
  if (required) root.append(h('p', { class: 'notice warn' }, t('password.required')));
  root.append(done, form);
};
