/**
 * The card for the road (issue 19): the holder sets, changes or removes an
 * emergency contact and chooses what the card's back prints (the contact,
 * the "rights and help" panel) through PATCH /v1/self/road, then downloads
 * the card again. Nothing of it goes into the QR code; it is erased with
 * the record.
 */
import { field, h } from '../shared/dom.js';
import type { PortalCtx } from './context.js';

export interface RoadChoices {
  emergencyContact?: { name?: string | null; phone: string; print?: boolean };
  printRightsPanel?: boolean;
}

export function roadPanel(ctx: PortalCtx, current: RoadChoices | undefined): HTMLElement {
  const { t } = ctx;
  const name = h('input', { type: 'text', autocomplete: 'off', maxlength: '100', dir: 'auto' });
  const phone = h('input', { type: 'tel', autocomplete: 'off', maxlength: '30', dir: 'ltr', inputmode: 'tel' });
  const printContact = h('input', { type: 'checkbox' });
  const rights = h('input', { type: 'checkbox' });
  const msg = h('p', { role: 'status', 'aria-live': 'polite' });
  const remove = h('button', { type: 'button', class: 'secondary' }, t('road.remove'));

  const show = (c: RoadChoices) => {
    name.value = c.emergencyContact?.name ?? '';
    phone.value = c.emergencyContact?.phone ?? '';
    printContact.checked = c.emergencyContact?.print === true;
    rights.checked = c.printRightsPanel === true;
    remove.hidden = !c.emergencyContact;
  };
  show(current ?? {});

  const send = async (body: Record<string, unknown>, done: string) => {
    msg.className = '';
    try {
      show(await ctx.api.request<RoadChoices>('PATCH', '/v1/self/road', { json: body }));
      msg.textContent = done;
      ctx.say(done);
    } catch (err) {
      msg.className = 'error';
      msg.textContent = ctx.problem(err);
    }
  };

  const form = h(
    'form',
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        const contact = phone.value.trim()
          ? { emergencyContact: { phone: phone.value.trim(), name: name.value.trim() || null, print: printContact.checked } }
          : {};
        void send({ ...contact, printRightsPanel: rights.checked }, t('road.saved'));
      },
    },
    field(t('road.contactName'), name, { optional: t('road.optional') }),
    field(t('road.contactPhone'), phone, { hint: t('road.phoneHint') }),
    h('label', { class: 'check' }, printContact, ' ', t('road.printContact')),
    h('label', { class: 'check' }, rights, ' ', t('road.rightsPanel')),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, t('road.save')), remove),
    msg,
  );
  remove.addEventListener('click', () => void send({ emergencyContact: null }, t('road.removed')));

  return h('section', { class: 'card-box', 'aria-labelledby': 'road-h' }, h('h2', { id: 'road-h' }, t('road.title')), h('p', {}, t('road.intro')), form);
}
