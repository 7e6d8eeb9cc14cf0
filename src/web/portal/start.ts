/** Claim a card with the receipt's one-time code and choose a PIN, or sign in with card number + PIN. */
import { field, h } from '../shared/dom.js';
import type { PortalCtx } from './context.js';

/** Same rule as the API: 6–12 digits, or a passphrase of 8 characters or more. */
const PIN_RULE = /^(\d{6,12}|.{8,128})$/;

const cardInput = (name: string) => h('input', { type: 'text', name, required: true, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', dir: 'ltr', inputmode: 'text', maxlength: 16, placeholder: '7KQ4-M2XD-9R' });

export function startView(root: HTMLElement, ctx: PortalCtx) {
  const { t } = ctx;
  root.append(h('h1', {}, t('start.title')), h('p', {}, t('start.intro')));

  // Claim
  const number = cardInput('claim-number');
  const code = h('input', { type: 'text', name: 'claim-code', required: true, autocomplete: 'one-time-code', autocapitalize: 'characters', spellcheck: 'false', dir: 'ltr', maxlength: 16 });
  const pin = h('input', { type: 'password', name: 'new-pin', required: true, autocomplete: 'new-password', minlength: 6, maxlength: 128, 'aria-describedby': 'pin-rules' });
  const pin2 = h('input', { type: 'password', name: 'new-pin-again', required: true, autocomplete: 'new-password', maxlength: 128 });
  const claimError = h('p', { class: 'error', role: 'alert' });
  const claim = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        claimError.textContent = '';
        if (!PIN_RULE.test(pin.value)) return void ((claimError.textContent = t('claim.pinRule')), pin.focus());
        if (pin.value !== pin2.value) return void ((claimError.textContent = t('claim.pinMismatch')), pin2.focus());
        try {
          const res = await ctx.api.request<{ accessToken: string }>('POST', '/v1/self/claim', { json: { number: number.value.trim().toUpperCase(), claimCode: code.value.trim().toUpperCase(), pin: pin.value } });
          pin.value = pin2.value = '';
          ctx.say(t('claim.done'));
          ctx.signedIn(res.accessToken);
        } catch (err) {
          claimError.textContent = ctx.problem(err);
        }
      },
    },
    field(t('field.cardNumber'), number, { hint: t('claim.numberHint') }),
    field(t('claim.code'), code, { hint: t('claim.codeHint') }),
    field(t('claim.pin'), pin),
    h('p', { class: 'hint pin-rules', id: 'pin-rules' }, t('claim.pinRule')),
    field(t('claim.pinAgain'), pin2),
    claimError,
    h('button', { type: 'submit', class: 'primary' }, t('claim.submit')),
  );

  // Sign in
  const number2 = cardInput('login-number');
  const pinIn = h('input', { type: 'password', name: 'pin', required: true, autocomplete: 'current-password', maxlength: 128 });
  const loginError = h('p', { class: 'error', role: 'alert' });
  const login = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        loginError.textContent = '';
        try {
          const res = await ctx.api.request<{ accessToken: string }>('POST', '/v1/self/login', { json: { number: number2.value.trim().toUpperCase(), pin: pinIn.value } });
          pinIn.value = '';
          ctx.signedIn(res.accessToken);
        } catch (err) {
          loginError.textContent = ctx.problem(err);
          pinIn.focus();
        }
      },
    },
    field(t('field.cardNumber'), number2),
    field(t('login.pin'), pinIn),
    loginError,
    h('button', { type: 'submit', class: 'primary' }, t('login.submit')),
  );

  root.append(
    h('section', { class: 'card-box', 'aria-labelledby': 'claim-h' }, h('h2', { id: 'claim-h' }, t('claim.title')), h('p', {}, t('claim.intro')), claim),
    h('section', { class: 'card-box', 'aria-labelledby': 'login-h' }, h('h2', { id: 'login-h' }, t('login.title')), login, h('p', { class: 'hint' }, t('login.forgot'))),
    h('p', { class: 'hint' }, t('start.privacy')),
  );
}
