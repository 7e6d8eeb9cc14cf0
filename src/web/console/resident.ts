/**
 * One resident, reached from a search or an enrolment (the id travels in
 * memory, never in the URL): possible duplicates, the record, the photo, the
 * cards with their actions, issuing and the receipt.
 */
import { fill, h } from '../shared/dom.js';
import { documentLabel, formatDate, formatInstant, formatList, languageName, NATIVE_NAMES, isLang } from '../shared/i18n.js';
import type { EvidenceRules } from './evidence.js';
import { cardPanel, type CardInfo } from './card.js';
import type { Ctx, View } from './context.js';
import type { Key } from './i18n.js';
import type { ResidentRecord } from '../shared/resident.js';
import { photoPanel } from './photo.js';
import { receiptPanel } from './receipt.js';
import { replaceOffer } from './edit.js';

interface Resident extends ResidentRecord {
  id: string;
  version: number;
}
interface Summary {
  id: string;
  names: { printed: string };
  birthDate: string | null;
}
interface State {
  id: string;
  duplicates?: Summary[];
  issued?: CardInfo & { claimCode: string; portalUrl?: string };
  /** Back from the edit form: it saved; `printedChanged` names what the card prints that changed. */
  saved?: boolean;
  printedChanged?: Key[];
  /** A done action's confirmation, shown on the page (not only to screen readers). */
  done?: string;
}

export const residentView: View = async (root, ctx, raw) => {
  const state = raw as State;
  const { t } = ctx;
  let r: Resident;
  let cards: CardInfo[];
  let rules: EvidenceRules;
  try {
    [r, { items: cards }, rules] = await Promise.all([
      ctx.api.request<Resident>('GET', `/v1/residents/${state.id}`),
      ctx.api.request<{ items: CardInfo[] }>('GET', `/v1/residents/${state.id}/cards`),
      // The documents seen are named in words from the city's rules, not by their ids.
      ctx.api.request<EvidenceRules>('GET', '/v1/evidence-rules'),
    ]);
  } catch (err) {
    root.append(h('h1', {}, t('resident.title')), h('p', { class: 'error', role: 'alert' }, ctx.problem(err)));
    return;
  }
  // The receipt stays on screen through later changes (a photo, an action) until the clerk leaves the record.
  const reopen = (extra: Partial<State> = {}) => ctx.show('resident', { id: r.id, ...(state.issued ? { issued: state.issued } : {}), ...extra });

  root.append(h('h1', {}, t('resident.title'), ': ', h('bdi', {}, r.names.printed)));
  if (state.done || state.saved) root.append(h('p', { class: 'notice ok', role: 'status' }, state.done ?? t('edit.saved')));
  const active = cards.find((c) => c.status === 'active');
  if (state.printedChanged?.length && active) {
    root.append(
      replaceOffer(ctx, active, state.printedChanged, (newCard) =>
        ctx.show('resident', { id: r.id, issued: newCard as State['issued'], done: t('edit.replaced', { number: active.number, newNumber: newCard.number }) }),
      ),
    );
  }
  if (state.duplicates?.length) root.append(duplicatesPanel(ctx, r, state.duplicates));
  if (state.issued) root.append(receiptPanel(ctx, state.issued, r.preferredLanguage));

  const photo = h('img', { alt: t('resident.photoAlt'), class: 'photo', width: 120, height: 150, hidden: true });
  if (r.hasPhoto) {
    ctx.api.request<Blob>('GET', `/v1/residents/${r.id}/photo`, { as: 'blob' }).then(
      (b) => {
        const url = URL.createObjectURL(b);
        ctx.onLeave(() => URL.revokeObjectURL(url));
        photo.src = url;
        photo.hidden = false;
      },
      () => undefined,
    );
  }
  root.append(h('div', { class: 'record' }, photo, facts(ctx, r, rules)));
  root.append(h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => ctx.show('edit', { id: r.id }) }, t('resident.edit'))));

  root.append(photoPanel(ctx, r.id, () => reopen()));

  const cardsBox = h('section', { 'aria-labelledby': 'cards-h' }, h('h2', { id: 'cards-h' }, t('resident.cards')));
  const live = cards.find((c) => c.status === 'active' || c.status === 'suspended');
  const issueMsg = h('p', { role: 'status' });
  if (!live) {
    cardsBox.append(
      h('p', {}, r.hasPhoto ? t('resident.noCard') : t('resident.needPhoto')),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: async () => {
            try {
              const issued = await ctx.api.request<CardInfo & { claimCode: string }>('POST', `/v1/residents/${r.id}/cards`);
              ctx.say(t('resident.issued', { number: issued.number }));
              reopen({ issued });
            } catch (err) {
              issueMsg.textContent = ctx.problem(err);
            }
          },
        },
        t('resident.issue'),
      ),
      issueMsg,
    );
  }
  for (const c of cards) cardsBox.append(cardPanel(ctx, c, r.preferredLanguage, (newCard) => reopen(newCard?.claimCode ? { issued: newCard as State['issued'] } : {})));
  root.append(cardsBox);

  root.append(
    h(
      'section',
      { class: 'card-box', 'aria-labelledby': 'erase-h' },
      h('h2', { id: 'erase-h' }, t('resident.eraseTitle')),
      h('p', {}, t('resident.eraseText')),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: async () => {
            if (!confirm(t('resident.eraseConfirm'))) return;
            try {
              await ctx.api.request('DELETE', `/v1/residents/${r.id}`, { headers: { 'if-match': `"${r.version}"` } });
              ctx.say(t('resident.erased'));
              ctx.show('search');
            } catch (err) {
              issueMsg.textContent = ctx.problem(err);
            }
          },
        },
        t('resident.erase'),
      ),
    ),
  );
};

function facts(ctx: Ctx, r: Resident, rules: EvidenceRules): HTMLElement {
  const { t } = ctx;
  const dl = h('dl', { class: 'facts' });
  const add = (label: string, value: string | Node | null | undefined) => {
    if (value === null || value === undefined || value === '') return;
    dl.append(h('dt', {}, label), h('dd', { dir: 'auto' }, value));
  };
  add(t('field.printedName'), r.names.printed);
  add(t('field.legalName'), r.names.legal);
  add(t('field.originalName'), r.names.original);
  add(t('field.transliteration'), r.names.transliteration);
  add(t('field.birthDate'), r.birthDate ? formatDate(ctx.lang, r.birthDate) : t('common.unknown'));
  add(t('field.selfDescribed'), r.gender.selfDescribed);
  add(t('field.pronouns'), r.gender.pronouns);
  if (r.gender.marker) add(t('field.marker'), `${r.gender.marker} — ${t(r.gender.printMarker ? 'resident.markerPrinted' : 'resident.markerNotPrinted')}`);
  if (r.address && 'line1' in r.address) add(t('enrol.address'), [r.address.line1, r.address.line2, r.address.postalCode, r.address.locality].filter(Boolean).join(', '));
  else if (r.address) add(t('enrol.address'), [t('enrol.addressNfa'), r.address.careOf].filter(Boolean).join(' — '));
  if (r.address && r.addressConfidential) add(t('enrol.confidential'), t('common.yes'));
  add(t('field.preferredLanguage'), isLang(r.preferredLanguage) ? NATIVE_NAMES[r.preferredLanguage] : r.preferredLanguage);
  add(t('field.languages'), formatList(ctx.lang, r.languages.map((l) => languageName(ctx.lang, l))));
  if (r.guardianPresent) add(t('enrol.guardian'), t('common.yes'));
  const label = (type: string) => documentLabel(rules.documents.find((d) => d.type === type)?.label, ctx.lang, type);
  add(t('evidence.legend'), formatList(ctx.lang, r.evidence.items.map((e) => `${label(e.type)} (${formatInstant(ctx.lang, e.seenAt)})`)));
  return dl;
}

function duplicatesPanel(ctx: Ctx, r: Resident, dups: Summary[]): HTMLElement {
  const { t } = ctx;
  const box = h('section', { class: 'notice warn', role: 'alert', 'aria-labelledby': 'dup-h' });
  fill(
    box,
    h('h2', { id: 'dup-h' }, t('dup.title', { n: dups.length })),
    h('p', {}, t('dup.text')),
    h(
      'ul',
      {},
      ...dups.map((d) =>
        h('li', {}, h('bdi', {}, d.names.printed), ` — ${d.birthDate ? formatDate(ctx.lang, d.birthDate) : t('common.unknown')} `, h('button', { type: 'button', onclick: () => ctx.show('resident', { id: d.id }) }, t('dup.open'))),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'primary', onclick: () => box.remove() }, t('dup.keep')),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: async () => {
            try {
              await ctx.api.request('DELETE', `/v1/residents/${r.id}`, { headers: { 'if-match': `"${r.version}"` } });
              ctx.say(t('dup.discarded'));
              ctx.show('search');
            } catch (err) {
              box.append(h('p', { class: 'error' }, ctx.problem(err)));
            }
          },
        },
        t('dup.discard'),
      ),
    ),
  );
  return box;
}

