/**
 * The enrolment receipt: a slip printed at issuance with the card number and
 * the one-time claim code, in the resident's language, telling them how to
 * use the portal. It carries no name or birth date: a lost slip names no one.
 */
import { field, fill, h } from '../shared/dom.js';
import { LANGS, NATIVE_NAMES, isLang, isRtl, type Lang } from '../shared/i18n.js';
import type { Ctx } from './context.js';
import { consoleTranslator } from './i18n.js';

export function receiptPanel(ctx: Ctx, card: { number: string; claimCode: string; portalUrl?: string }, residentLang: string): HTMLElement {
  const { t } = ctx;
  const initial: Lang = isLang(residentLang) ? residentLang : ctx.lang;
  const select = h('select', { id: 'receipt-lang' }, ...LANGS.map((l) => h('option', { value: l, lang: l, ...(l === initial ? { selected: true } : {}) }, NATIVE_NAMES[l])));
  const slip = h('div', { class: 'receipt', id: 'receipt' });
  // The city's PUBLIC_URL as the server says it, not the address this desk reaches it by (an intranet name, a port).
  const portal = card.portalUrl ?? `${location.origin}/me`;

  function draw(lang: Lang) {
    const r = consoleTranslator(lang);
    slip.lang = lang;
    slip.dir = isRtl(lang) ? 'rtl' : 'ltr';
    fill(
      slip,
      h('p', { class: 'receipt-title' }, r('receipt.title')),
      h('dl', { class: 'facts' }, h('dt', {}, r('receipt.number')), h('dd', { class: 'mono big', dir: 'ltr' }, card.number), h('dt', {}, r('receipt.code')), h('dd', { class: 'mono big', dir: 'ltr', 'data-claim-code': '' }, card.claimCode)),
      h('ol', {}, h('li', {}, r('receipt.step1'), ' ', h('span', { class: 'mono', dir: 'ltr' }, portal)), h('li', {}, r('receipt.step2')), h('li', {}, r('receipt.step3')), h('li', {}, r('receipt.step4'))),
      h('p', {}, r('receipt.once')),
      h('p', {}, r('receipt.private')),
    );
  }
  select.addEventListener('change', () => isLang(select.value) && draw(select.value));
  draw(initial);

  return h(
    'section',
    { class: 'card-box', 'aria-labelledby': 'receipt-h' },
    h('h2', { id: 'receipt-h' }, t('receipt.heading')),
    h('p', { class: 'notice warn' }, t('receipt.intro')),
    field(t('receipt.language'), select),
    slip,
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: () => {
            document.body.classList.add('printing-receipt');
            window.print();
            document.body.classList.remove('printing-receipt');
          },
        },
        t('receipt.print'),
      ),
    ),
  );
}
