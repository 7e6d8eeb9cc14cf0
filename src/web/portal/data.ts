/** Everything the city holds on the resident (GET /v1/self/data), readable and as a JSON download. */
import { h, saveBlob } from '../shared/dom.js';
import { documentLabel, formatDate, formatInstant, formatList, languageName, NATIVE_NAMES, isLang } from '../shared/i18n.js';
import type { PortalCtx } from './context.js';
import type { Key } from './i18n.js';
import type { ResidentRecord } from '../shared/resident.js';

interface SelfData {
  resident: ResidentRecord & { createdAt: string; updatedAt: string };
  cards: Array<{ number: string; status: string; issuedAt: string; expiresAt: string; expired?: boolean }>;
  account: { createdAt: string };
  /** The city's names of the record's document types, by language. */
  documents?: Record<string, Record<string, string>>;
}

export async function dataPanel(ctx: PortalCtx): Promise<{ element: HTMLElement; data: SelfData | null }> {
  const { t } = ctx;
  const section = h('section', { class: 'card-box', 'aria-labelledby': 'data-h' }, h('h2', { id: 'data-h' }, t('data.title')), h('p', {}, t('data.intro')));
  let data: SelfData;
  try {
    data = await ctx.api.request<SelfData>('GET', '/v1/self/data');
  } catch (err) {
    section.append(h('p', { class: 'error', role: 'alert' }, ctx.problem(err)));
    return { element: section, data: null };
  }
  const r = data.resident;
  const dl = h('dl', { class: 'facts' });
  const add = (key: Key, value: string | null | undefined) => {
    if (value) dl.append(h('dt', {}, t(key)), h('dd', { dir: 'auto' }, value));
  };
  add('data.printedName', r.names.printed);
  add('data.legalName', r.names.legal);
  add('data.originalName', r.names.original);
  add('data.transliteration', r.names.transliteration);
  add('data.birthDate', r.birthDate ? formatDate(ctx.lang, r.birthDate) : t('data.unknown'));
  add('data.selfDescribed', r.gender.selfDescribed);
  add('data.pronouns', r.gender.pronouns);
  if (r.gender.marker) add('data.marker', `${r.gender.marker} — ${t(r.gender.printMarker ? 'data.markerPrinted' : 'data.markerNotPrinted')}`);
  if (r.address && 'line1' in r.address) add('data.address', [r.address.line1, r.address.line2, r.address.postalCode, r.address.locality].filter(Boolean).join(', '));
  else if (r.address) add('data.address', [t('data.noFixedAddress'), r.address.careOf].filter(Boolean).join(' — '));
  if (r.address) add('data.addressConfidential', t(r.addressConfidential ? 'data.yes' : 'data.no'));
  add('data.preferredLanguage', isLang(r.preferredLanguage) ? NATIVE_NAMES[r.preferredLanguage] : r.preferredLanguage);
  add('data.languages', formatList(ctx.lang, r.languages.map((l) => languageName(ctx.lang, l))));
  add('data.evidence', formatList(ctx.lang, r.evidence.items.map((e) => `${documentLabel(data.documents?.[e.type], ctx.lang, e.type)} (${formatDate(ctx.lang, e.seenAt)})`)) || '—');
  add('data.photo', t(r.hasPhoto ? 'data.yes' : 'data.no'));
  for (const c of data.cards) add('data.card', `${c.number} — ${t(`status.${c.status}` as Key)} — ${formatDate(ctx.lang, c.issuedAt)} → ${formatDate(ctx.lang, c.expiresAt)}`);
  add('data.recordSince', formatInstant(ctx.lang, r.createdAt));
  add('data.accountSince', formatInstant(ctx.lang, data.account.createdAt));

  const photo = h('img', { class: 'photo', alt: t('data.photoAlt'), hidden: true, width: 120, height: 150 });
  if (r.hasPhoto) {
    ctx.api.request<Blob>('GET', '/v1/self/photo', { as: 'blob' }).then(
      (b) => {
        const url = URL.createObjectURL(b);
        ctx.onLeave(() => URL.revokeObjectURL(url));
        photo.src = url;
        photo.hidden = false;
      },
      () => undefined,
    );
  }
  section.append(
    photo,
    dl,
    h('p', { class: 'hint' }, t('data.notHeld')),
    h('button', { type: 'button', onclick: () => saveBlob(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), 'my-data.json') }, t('data.download')),
  );
  return { element: section, data };
}
