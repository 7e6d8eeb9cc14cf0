/** Staff sign-in. Officials and partner services are sent to the verifier page. */
import { field, h } from '../shared/dom.js';
import type { View } from './context.js';

/** Who works in the console; the others check cards on the verifier page. */
export const CONSOLE_ROLES = ['clerk', 'admin', 'organiser'];

export const signinView: View = (root, ctx, state) => {
  const { t } = ctx;
  /** After a required password change by someone who works on the verifier page. */
  const done = (state as { done?: string } | undefined)?.done;
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const pass = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signin.submit'));
  const form = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.textContent = '';
        submit.disabled = true;
        try {
          const grant = await ctx.session.signIn(user.value.trim(), pass.value);
          pass.value = '';
          // An official or partner service with a one-time password chooses their own here first (password.ts).
          if (!CONSOLE_ROLES.includes(grant.role) && !grant.passwordChangeRequired) {
            await ctx.session.signOut();
            error.replaceChildren(t('signin.notForRole'), ' ', h('a', { href: '/verify' }, t('signin.toVerifier')));
            return;
          }
          ctx.signedIn(grant);
        } catch (err) {
          error.textContent = ctx.problem(err);
          pass.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    field(t('signin.username'), user),
    field(t('signin.password'), pass),
    error,
    submit,
  );
  root.append(h('h1', {}, t('signin.title')));
  if (done) root.append(h('p', { class: 'notice ok', role: 'status' }, done, ' ', h('a', { href: '/verify' }, t('signin.toVerifier'))));
  root.append(h('p', {}, t('signin.intro')), form);
};
