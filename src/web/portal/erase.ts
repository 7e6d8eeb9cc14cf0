/**
 * Erasure by the resident (DELETE /v1/self): the confirmation says plainly
 * what happens — the card stops working everywhere, the record and photo are
 * deleted, it cannot be undone — and needs a ticked box, then a second press.
 */
import { h } from '../shared/dom.js';
import type { PortalCtx } from './context.js';

export function erasePanel(ctx: PortalCtx, cards: Array<{ number: string; status: string }>): HTMLElement {
  const { t } = ctx;
  const live = cards.filter((c) => c.status === 'active' || c.status === 'suspended');
  const sure = h('input', { type: 'checkbox', id: 'erase-sure' });
  const error = h('p', { class: 'error', role: 'alert' });
  const go = h('button', { type: 'button', class: 'danger primary', disabled: true }, t('erase.confirm'));
  sure.addEventListener('change', () => (go.disabled = !sure.checked));
  go.addEventListener('click', async () => {
    if (!sure.checked) return;
    go.disabled = true;
    try {
      await ctx.api.request('DELETE', '/v1/self', { json: { confirm: true } });
      ctx.signOut(t('erase.done'));
    } catch (err) {
      error.textContent = ctx.problem(err);
      go.disabled = false;
    }
  });
  const confirmBox = h(
    'div',
    { class: 'notice bad', hidden: true, id: 'erase-confirm' },
    h('h3', {}, t('erase.whatHappens')),
    h('ul', {}, h('li', {}, live.length ? t('erase.card', { number: live.map((c) => c.number).join(', ') }) : t('erase.cardNone')), h('li', {}, t('erase.record')), h('li', {}, t('erase.access')), h('li', {}, h('strong', {}, t('erase.undo')))),
    h('p', {}, t('erase.before')),
    h('div', { class: 'check' }, sure, h('label', { for: 'erase-sure' }, t('erase.understand'))),
    h('div', { class: 'row' }, go, h('button', { type: 'button', onclick: () => ((confirmBox.hidden = true), start.focus()) }, t('erase.cancel'))),
    error,
  );
  const start = h('button', { type: 'button', class: 'danger', 'aria-expanded': 'false', 'aria-controls': 'erase-confirm' }, t('erase.start'));
  start.addEventListener('click', () => {
    confirmBox.hidden = false;
    start.setAttribute('aria-expanded', 'true');
    sure.focus();
  });
  return h('section', { class: 'card-box', 'aria-labelledby': 'erase-h' }, h('h2', { id: 'erase-h' }, t('erase.title')), h('p', {}, t('erase.intro')), start, confirmBox);
}
