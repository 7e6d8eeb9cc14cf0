/**
 * One card: its state, the PDF (preview in the page, print the card or the
 * A4 sheet, download), and the lifecycle actions its state allows
 * (src/modules/cards/card-states.ts, the same table the server uses).
 */
import cardRules from '../../../templates/rules/card-rules.json' with { type: 'json' };
import { CARD_ACTIONS, TRANSITIONS, type CardAction, type CardState } from '../../modules/cards/card-states.js';
import { field, h, saveBlob } from '../shared/dom.js';
import { ApiError } from '../shared/api.js';
import { formatDate, LANGS, NATIVE_NAMES, isLang, type Lang } from '../shared/i18n.js';
import type { Ctx } from './context.js';
import type { Key } from './i18n.js';
import { claimCodeButton } from './claim-code.js';

export interface CardInfo {
  number: string;
  status: string;
  reason?: string | null;
  issuedAt: string;
  expiresAt: string;
  expired?: boolean;
}

/** Revocation reasons: the shipped default list; a city that changes it gets a 400 with the allowed list, shown as is. */
const REASONS: string[] = cardRules.default.revocationReasons;

export function cardPanel(ctx: Ctx, card: CardInfo, cardLang: string, onChanged: (newCard?: CardInfo & { claimCode?: string; portalUrl?: string }) => void): HTMLElement {
  const { t } = ctx;
  const uid = card.number.replace(/\W/g, '');
  const langSelect = h('select', { id: `pdf-lang-${uid}` }, ...LANGS.map((l) => h('option', { value: l, lang: l, ...(l === cardLang ? { selected: true } : {}) }, NATIVE_NAMES[l])));
  const preview = h('div', { class: 'pdf-preview' });
  const msg = h('p', { role: 'status' });
  let url: string | null = null;
  ctx.onLeave(() => url && URL.revokeObjectURL(url));

  async function pdf(layout: 'card' | 'sheet'): Promise<Blob | null> {
    const lang: Lang = isLang(langSelect.value) ? langSelect.value : 'en';
    try {
      return await ctx.api.request<Blob>('GET', `/v1/cards/${encodeURIComponent(card.number)}/pdf?lang=${lang}&layout=${layout}`, { as: 'blob' });
    } catch (err) {
      msg.textContent = ctx.problem(err);
      return null;
    }
  }

  /** Shows the PDF in the page; `print` then opens the browser's print dialog on it. */
  async function show(layout: 'card' | 'sheet', print: boolean) {
    const blob = await pdf(layout);
    if (!blob) return;
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
    const frame = h('iframe', { src: url, title: t(layout === 'card' ? 'card.previewTitle' : 'card.sheetTitle'), class: 'pdf-frame' });
    preview.replaceChildren(frame);
    if (print) frame.addEventListener('load', () => setTimeout(() => frame.contentWindow?.print(), 300), { once: true });
  }

  async function download() {
    const blob = await pdf('card');
    if (blob) saveBlob(new Blob([blob], { type: 'application/pdf' }), `card-${card.number}.pdf`);
  }

  const actions = h('div', { class: 'row' });
  const state = card.status as CardState;
  const allowed = CARD_ACTIONS.filter((a) => TRANSITIONS[a][state]);
  const reason = h('select', { id: `reason-${uid}` }, h('option', { value: '' }, t('card.reasonPick')), ...REASONS.map((r) => h('option', { value: r }, t(`reason.${r}` as Key))));
  const reasonField = field(t('card.reason'), reason, { hint: t('card.reasonHint') });

  async function act(action: CardAction) {
    const needs = action === 'revoke' || action === 'replace';
    if (needs && !reason.value) {
      msg.textContent = t('card.reasonNeeded');
      reason.focus();
      return;
    }
    if ((action === 'revoke' || action === 'replace') && !confirm(t(action === 'revoke' ? 'card.confirmRevoke' : 'card.confirmReplace', { number: card.number }))) return;
    try {
      const res = await ctx.api.request<{ card: CardInfo; newCard?: CardInfo & { claimCode: string } }>('POST', `/v1/cards/${encodeURIComponent(card.number)}/${action}`, {
        json: reason.value && (needs || action === 'suspend') ? { reason: reason.value } : {},
      });
      ctx.say(t('card.done', { status: t(`status.${res.card.status}` as Key) }));
      onChanged(res.newCard);
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : undefined;
      // Renewing too early or too late: say when the window opens (or that it closed), not only that it is shut.
      if (p?.code === 'card-not-renewable' && typeof p.renewableFrom === 'string' && typeof p.renewableUntil === 'string') {
        const today = new Date().toISOString().slice(0, 10);
        msg.textContent =
          today < p.renewableFrom
            ? t('card.renewOpens', { date: formatDate(ctx.lang, p.renewableFrom) })
            : t('card.renewClosed', { date: formatDate(ctx.lang, p.renewableUntil) });
      } else msg.textContent = ctx.problem(err);
    }
  }

  for (const a of allowed) {
    actions.append(h('button', { type: 'button', class: a === 'revoke' ? 'danger' : '', onclick: () => void act(a) }, t(`action.${a}` as Key)));
  }

  const live = state === 'active' || state === 'suspended';
  return h(
    'section',
    { class: 'card-box', 'aria-label': t('card.label', { number: card.number }) },
    h('h3', {}, t('card.label', { number: '' }), h('span', { class: 'mono', dir: 'ltr' }, card.number)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('card.status')),
      h('dd', {}, h('span', { class: `status ${card.status}` }, t(`status.${card.status}` as Key)), card.reason ? ` (${t(`reason.${card.reason}` as Key)})` : '', card.expired ? ` — ${t('status.expired')}` : ''),
      h('dt', {}, t('card.issued')),
      h('dd', {}, formatDate(ctx.lang, card.issuedAt)),
      h('dt', {}, t('card.expires')),
      h('dd', {}, formatDate(ctx.lang, card.expiresAt)),
    ),
    live
      ? h(
          'div',
          {},
          // A suspended card is not to be handed out: no print, no download until it is reinstated.
          state === 'active'
            ? h(
                'div',
                {},
                field(t('card.pdfLanguage'), langSelect),
                h(
                  'div',
                  { class: 'row' },
                  h('button', { type: 'button', class: 'primary', onclick: () => void show('card', false) }, t('card.preview')),
                  h('button', { type: 'button', onclick: () => void show('card', true) }, t('card.print')),
                  h('button', { type: 'button', onclick: () => void show('sheet', true) }, t('card.printSheet')),
                  h('button', { type: 'button', onclick: () => void download() }, t('card.download')),
                ),
              )
            : null,
          preview,
          card.expired ? null : h('div', { class: 'row' }, claimCodeButton(ctx, card.number, (code) => onChanged({ ...card, ...code }), msg)),
          allowed.length ? h('h4', {}, t('card.actions')) : null,
          allowed.some((a) => a === 'revoke' || a === 'replace' || a === 'suspend') ? reasonField : null,
          actions,
        )
      : null,
    msg,
  );
}
