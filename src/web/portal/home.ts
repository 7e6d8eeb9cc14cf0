/** After sign-in: the card PDF, the proof QR, Welcoming Week, the card's offers, one's data, erasure. */
import { field, h, saveBlob } from '../shared/dom.js';
import { LANGS, NATIVE_NAMES, isLang } from '../shared/i18n.js';
import type { PortalCtx } from './context.js';
import { dataPanel } from './data.js';
import { erasePanel } from './erase.js';
import { proofPanel } from './proof.js';
import { eventsPanel } from './events.js';
import { roadPanel, type RoadChoices } from './road.js';
import { offersPanel } from './offers.js';

export async function homeView(root: HTMLElement, ctx: PortalCtx) {
  const { t } = ctx;
  root.append(h('h1', {}, t('home.title')));

  const lang = h('select', { id: 'card-lang' }, ...LANGS.map((l) => h('option', { value: l, lang: l, ...(l === ctx.lang ? { selected: true } : {}) }, NATIVE_NAMES[l])));
  const msg = h('p', { role: 'status' });
  const download = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      onclick: async () => {
        msg.textContent = '';
        try {
          const pdf = await ctx.api.request<Blob>('GET', `/v1/self/card.pdf?lang=${lang.value}`, { as: 'blob' });
          saveBlob(new Blob([pdf], { type: 'application/pdf' }), 'my-card.pdf');
          msg.textContent = t('card.downloaded');
        } catch (err) {
          msg.textContent = ctx.problem(err);
        }
      },
    },
    t('card.download'),
  );
  root.append(
    h('section', { class: 'card-box', 'aria-labelledby': 'card-h' }, h('h2', { id: 'card-h' }, t('card.title')), h('p', {}, t('card.intro')), field(t('card.language'), lang), download, msg),
    proofPanel(ctx),
    eventsPanel(ctx),
    offersPanel(ctx),
  );
  const data = await dataPanel(ctx);
  // The card's language defaults to the holder's preferred one (the page keeps the language it was opened in).
  const preferred = data.data?.resident.preferredLanguage;
  if (isLang(preferred)) lang.value = preferred;
  root.append(data.element, roadPanel(ctx, data.data?.resident as RoadChoices | undefined), erasePanel(ctx, data.data?.cards ?? []));
}
