/**
 * Benefits for administrators (src/modules/benefits): the places that accept
 * the card as ID with the date the city last confirmed it ("Confirm today"),
 * partner organisations and their offers — create, edit, retire — with a
 * preview of their texts in each of the five languages as residents will see
 * them (a missing language falls back to the city's). Lists come from the
 * public directory (live partners, current offers): what is retired or
 * expired leaves the screen as it leaves /offers.
 */
import { field, h } from '../shared/dom.js';
import { formatDate, isRtl, LANGS, NATIVE_NAMES, type Lang } from '../shared/i18n.js';
import { STRINGS as DIRECTORY, type Key as DirKey } from '../offers/strings.js';
import { translator } from '../shared/i18n.js';
import { benefitsTranslator, type BKey } from './admin-benefits-strings.js';
import type { Ctx, View } from './context.js';
import type { OfferView } from '../shared/offer.js';

const CATEGORIES = ['culture', 'library', 'health', 'finance', 'transport', 'sport', 'food', 'education', 'legal-aid', 'social-services', 'other'];
const KINDS = ['membership', 'discount', 'free-entry', 'service', 'other'];
const LIMITS = ['none', 'once', 'year', 'month'];

interface Address { line1: string; postalCode?: string; locality: string; lat?: number; lon?: number }
export interface BenefitPartner {
  id: string;
  name: string;
  category: string;
  description: Record<string, string>;
  addresses: Address[];
  hours: string | null;
  languages: string[];
  accessibility: string[];
  website: string | null;
  phone: string | null;
  acceptsCardAsId: boolean;
  acceptanceConfirmedOn: string | null;
}
type Offer = OfferView;

/** Live partner organisations, for the screens that tie accounts and keys to one. */
export async function livePartners(ctx: Ctx): Promise<BenefitPartner[]> {
  return (await ctx.api.request<{ items: BenefitPartner[] }>('GET', '/v1/partners?limit=500')).items;
}

/** The organisation picker's choices: none when the directory cannot be read (the form still works without one). */
export const partnersOrNone = (ctx: Ctx): Promise<BenefitPartner[]> => livePartners(ctx).catch(() => []);

/** An "organisation" select: none, or one live partner. */
export function organisationSelect(ctx: Ctx, partners: BenefitPartner[], value: string | null, id: string): HTMLSelectElement {
  const b = benefitsTranslator(ctx.lang);
  return h('select', { id }, h('option', { value: '' }, b('noOrganisation')), ...partners.map((p) => h('option', { value: p.id, ...(p.id === value ? { selected: true } : {}) }, p.name)));
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const texts = (inputs: Record<Lang, HTMLInputElement | HTMLTextAreaElement>) => Object.fromEntries(LANGS.flatMap((l) => (inputs[l].value.trim() ? [[l, inputs[l].value.trim()]] : [])));

export const benefitsView: View = async (root, ctx) => {
  const b = benefitsTranslator(ctx.lang);
  const d = translator(DIRECTORY, ctx.lang);
  const msg = h('p', { role: 'status' });
  const accepted = h('div', { class: 'table-wrap' });
  const partnersBox = h('div', { class: 'table-wrap' });
  const partnerFormBox = h('div');
  const offersBox = h('div');
  let cityLang: Lang = 'en';
  let today = '';
  root.append(h('h1', {}, b('title')), h('p', {}, b('intro')), msg, h('h2', { id: 'accepted-h' }, b('accepted')), h('p', {}, b('acceptedIntro')), accepted, h('h2', { id: 'partners-h' }, b('partners')), partnersBox, partnerFormBox, offersBox);

  const say = (m: string) => ((msg.textContent = m), ctx.say(m));
  const run = async (fn: () => Promise<string>) => {
    try {
      say(await fn());
      await load();
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  };
  const button = (label: string, name: string, onclick: () => void, cls = '') => h('button', { type: 'button', class: cls, onclick }, label, h('span', { class: 'visually-hidden' }, ` ${name}`));

  /** The texts as residents see them in each language: own text, else the city's language, said so. */
  function preview(build: () => Array<{ label: string; text: Record<string, string> }>): HTMLElement {
    const box = h('div', { class: 'previews' });
    const draw = () =>
      box.replaceChildren(
        ...LANGS.map((l) =>
          h(
            'div',
            { class: 'preview card-box', lang: l, dir: isRtl(l) ? 'rtl' : 'ltr', 'data-lang': l },
            h('h4', {}, NATIVE_NAMES[l]),
            ...build().flatMap(({ label, text }) => {
              const own = text[l];
              const shown = own ?? text[cityLang] ?? Object.values(text)[0];
              const from = own ? l : text[cityLang] ? cityLang : Object.keys(text)[0];
              return [
                h('p', { class: label === 'title' ? 'preview-title' : 'preview-text', ...(from && from !== l ? { lang: from, dir: isRtl(from as Lang) ? 'rtl' : 'ltr' } : {}) }, shown ?? b('empty')),
                !own && shown ? h('p', { class: 'hint', lang: ctx.lang, dir: isRtl(ctx.lang) ? 'rtl' : 'ltr' }, b('fallback', { lang: NATIVE_NAMES[from as Lang] ?? from ?? '' })) : null,
              ];
            }),
          ),
        ),
      );
    draw();
    box.addEventListener('refresh', draw);
    return h('section', { class: 'preview-wrap' }, h('h3', {}, b('preview')), box);
  }
  const refresh = (el: HTMLElement) => el.querySelector('.previews')?.dispatchEvent(new Event('refresh'));

  function langInputs(kind: 'input' | 'textarea', label: (l: string) => string, value: Record<string, string>, onInput: () => void) {
    const inputs = Object.fromEntries(
      LANGS.map((l) => [l, kind === 'input' ? h('input', { type: 'text', lang: l, dir: isRtl(l) ? 'rtl' : 'ltr', value: value[l] ?? '', maxlength: 200, oninput: onInput }) : h('textarea', { rows: 2, lang: l, dir: isRtl(l) ? 'rtl' : 'ltr', maxlength: 2000, oninput: onInput })]),
    ) as Record<Lang, HTMLInputElement | HTMLTextAreaElement>;
    for (const l of LANGS) if (kind === 'textarea') inputs[l].value = value[l] ?? '';
    return { inputs, fields: LANGS.map((l) => field(label(NATIVE_NAMES[l]), inputs[l], { optional: b('optional') })) };
  }

  function addressRow(a: Partial<Address>, rows: HTMLElement) {
    const input = (key: keyof Address, type = 'text', extra: Record<string, string | number | boolean> = {}) => h('input', { type, 'data-key': key, value: a[key] !== undefined ? String(a[key]) : '', ...extra });
    const row: HTMLElement = h(
      'fieldset',
      { class: 'address-row' },
      h('legend', {}, b('addresses')),
      h('div', { class: 'grid2' }, field(b('line1'), input('line1', 'text', { maxlength: 200 })), field(b('postalCode'), input('postalCode', 'text', { maxlength: 20 }), { optional: b('optional') })),
      h('div', { class: 'grid2' }, field(b('locality'), input('locality', 'text', { maxlength: 100 })), h('div', {})),
      h('div', { class: 'grid2' }, field(b('lat'), input('lat', 'number', { step: 'any', min: -90, max: 90, dir: 'ltr' }), { optional: b('optional'), hint: b('coordsHint') }), field(b('lon'), input('lon', 'number', { step: 'any', min: -180, max: 180, dir: 'ltr' }), { optional: b('optional') })),
      h('button', { type: 'button', class: 'danger', onclick: () => row.remove() }, b('removeAddress')),
    );
    rows.append(row);
  }
  const readAddresses = (rows: HTMLElement): Address[] =>
    Array.from(rows.querySelectorAll<HTMLElement>('.address-row')).flatMap((row) => {
      const v = (k: string) => ((row.querySelector(`[data-key=${k}]`) as HTMLInputElement | null)?.value ?? '').trim();
      if (!v('line1') && !v('locality')) return [];
      return [{ line1: v('line1'), locality: v('locality'), ...(v('postalCode') ? { postalCode: v('postalCode') } : {}), ...(v('lat') ? { lat: Number(v('lat')) } : {}), ...(v('lon') ? { lon: Number(v('lon')) } : {}) }];
    });

  function partnerForm(p: BenefitPartner | null) {
    const name = h('input', { type: 'text', required: true, maxlength: 200, value: p?.name ?? '', autocomplete: 'off' });
    const category = h('select', {}, ...CATEGORIES.map((c) => h('option', { value: c, ...(c === p?.category ? { selected: true } : {}) }, d(`cat-${c}` as DirKey))));
    const desc = langInputs('textarea', (l) => b('description', { lang: l }), p?.description ?? {}, () => refresh(form));
    const rows = h('div');
    for (const a of p?.addresses.length ? p.addresses : [{}]) addressRow(a, rows);
    const hours = h('input', { type: 'text', maxlength: 500, value: p?.hours ?? '', dir: 'ltr' });
    const languages = h('input', { type: 'text', value: p?.languages.join(', ') ?? '', dir: 'ltr' });
    const accessibility = h('input', { type: 'text', value: p?.accessibility.join(', ') ?? '' });
    const website = h('input', { type: 'url', value: p?.website ?? '', dir: 'ltr', placeholder: 'https://' });
    const phone = h('input', { type: 'tel', value: p?.phone ?? '', dir: 'ltr' });
    const accepts = h('input', { type: 'checkbox', id: 'partner-accepts', checked: p?.acceptsCardAsId ?? false });
    const form: HTMLFormElement = h(
      'form',
      {
        class: 'partner-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const description = texts(desc.inputs);
          const body: Record<string, unknown> = {
            name: name.value.trim(),
            category: category.value,
            ...(Object.keys(description).length ? { description } : {}),
            addresses: readAddresses(rows),
            ...(hours.value.trim() ? { hours: hours.value.trim() } : {}),
            languages: list(languages.value),
            accessibility: list(accessibility.value),
            ...(website.value.trim() ? { website: website.value.trim() } : {}),
            ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
          };
          // Sending acceptsCardAsId records today as the confirmation date: only when it is meant.
          if (!p || accepts.checked !== p.acceptsCardAsId) body.acceptsCardAsId = accepts.checked;
          void run(async () => {
            const saved = await ctx.api.request<BenefitPartner>(p ? 'PATCH' : 'POST', p ? `/v1/partners/${p.id}` : '/v1/partners', { json: body });
            partnerFormBox.replaceChildren(partnerForm(null));
            return b(p ? 'saved' : 'created', { name: saved.name });
          });
        },
      },
      h('h2', {}, p ? b('editPartner', { name: p.name }) : b('newPartner')),
      h('div', { class: 'grid2' }, field(b('name'), name), field(b('category'), category)),
      ...desc.fields,
      rows,
      h('button', { type: 'button', onclick: () => addressRow({}, rows) }, b('addAddress')),
      field(b('hours'), hours, { optional: b('optional'), hint: b('hoursHint') }),
      h('div', { class: 'grid2' }, field(b('languages'), languages, { optional: b('optional'), hint: b('languagesHint') }), field(b('accessibility'), accessibility, { optional: b('optional'), hint: b('accessibilityHint') })),
      h('div', { class: 'grid2' }, field(b('website'), website, { optional: b('optional') }), field(b('phone'), phone, { optional: b('optional') })),
      h('div', { class: 'field check' }, accepts, h('label', { for: accepts.id }, b('acceptsCardAsId'))),
      preview(() => [{ label: 'title', text: { en: name.value, fr: name.value, es: name.value, pt: name.value, ar: name.value } }, { label: 'text', text: texts(desc.inputs) }]),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, p ? b('save') : b('create')), p ? h('button', { type: 'button', onclick: () => partnerFormBox.replaceChildren(partnerForm(null)) }, b('cancel')) : null),
    );
    name.addEventListener('input', () => refresh(form));
    return form;
  }

  function offerForm(p: BenefitPartner, o: Offer | null, reload: () => Promise<void>) {
    const redraw = () => refresh(form);
    const title = langInputs('input', (l) => b('offerTitle', { lang: l }), o?.title ?? {}, redraw);
    const desc = langInputs('textarea', (l) => b('offerDescription', { lang: l }), o?.description ?? {}, redraw);
    const kind = h('select', {}, ...KINDS.map((k) => h('option', { value: k, ...(k === o?.kind ? { selected: true } : {}) }, d(`kind-${k}` as DirKey))));
    const limit = h('select', {}, ...LIMITS.map((k) => h('option', { value: k, ...(k === (o?.limit.per ?? 'once') ? { selected: true } : {}) }, d(`limit-${k}` as DirKey))));
    const num = (v: number | null) => h('input', { type: 'number', min: 0, max: 130, step: 1, value: v ?? '', dir: 'ltr' });
    const ageMin = num(o?.ageMin ?? null);
    const ageMax = num(o?.ageMax ?? null);
    const validFrom = h('input', { type: 'date', value: o?.validFrom ?? '' });
    const validUntil = h('input', { type: 'date', value: o?.validUntil ?? '' });
    const cities = h('input', { type: 'checkbox', id: `offer-cities-${o?.id ?? 'new'}`, checked: o?.partnerCityHolders ?? false });
    const form: HTMLFormElement = h(
      'form',
      {
        class: 'offer-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const description = texts(desc.inputs);
          const opt = (el: HTMLInputElement, asNumber: boolean) => (el.value.trim() ? (asNumber ? Number(el.value) : el.value) : o ? null : undefined);
          const body = Object.fromEntries(
            Object.entries({
              title: texts(title.inputs),
              ...(Object.keys(description).length ? { description } : {}),
              kind: kind.value,
              limit: { per: limit.value },
              ageMin: opt(ageMin, true),
              ageMax: opt(ageMax, true),
              validFrom: opt(validFrom, false),
              validUntil: opt(validUntil, false),
              partnerCityHolders: cities.checked,
            }).filter(([, v]) => v !== undefined),
          );
          void (async () => {
            try {
              await ctx.api.request(o ? 'PATCH' : 'POST', o ? `/v1/offers/${o.id}` : `/v1/partners/${p.id}/offers`, { json: body });
              say(b(o ? 'saved' : 'created', { name: (body.title as Record<string, string>)[ctx.lang] ?? Object.values(body.title as Record<string, string>)[0] ?? '' }));
              await reload();
            } catch (err) {
              msg.textContent = ctx.problem(err);
            }
          })();
        },
      },
      h('h3', {}, o ? b('editOffer') : b('newOffer')),
      h('p', { class: 'hint' }, b('textsHint', { lang: NATIVE_NAMES[cityLang] })),
      ...title.fields,
      ...desc.fields,
      h('div', { class: 'grid2' }, field(b('kind'), kind), field(b('limit'), limit)),
      h('div', { class: 'grid2' }, field(b('ageMin'), ageMin, { optional: b('optional') }), field(b('ageMax'), ageMax, { optional: b('optional') })),
      h('div', { class: 'grid2' }, field(b('validFrom'), validFrom, { optional: b('optional') }), field(b('validUntil'), validUntil, { optional: b('optional') })),
      h('div', { class: 'field check' }, cities, h('label', { for: cities.id }, b('partnerCityHolders'))),
      preview(() => [{ label: 'title', text: texts(title.inputs) }, { label: 'text', text: texts(desc.inputs) }]),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, o ? b('save') : b('create'))),
    );
    return form;
  }

  async function showOffers(p: BenefitPartner) {
    const box = h('div', { class: 'table-wrap' });
    const formBox = h('div');
    const reload = async () => {
      const { items } = await ctx.api.request<{ items: Offer[] }>('GET', `/v1/offers?partner=${p.id}&limit=500`);
      const titleOf = (o: Offer) => o.title[ctx.lang] ?? o.title[cityLang] ?? Object.values(o.title)[0] ?? '';
      box.replaceChildren(
        items.length
          ? h(
              'table',
              { class: 'offers-table' },
              h('caption', { class: 'visually-hidden' }, b('offersTitle', { name: p.name })),
              h('thead', {}, h('tr', {}, ...[b('offerTitle', { lang: NATIVE_NAMES[ctx.lang] }), b('kind'), b('limit'), b('actions')].map((x) => h('th', { scope: 'col' }, x)))),
              h(
                'tbody',
                {},
                ...items.map((o) =>
                  h(
                    'tr',
                    { 'data-offer': o.id },
                    h('td', { dir: 'auto' }, titleOf(o)),
                    h('td', {}, d(`kind-${o.kind}` as DirKey)),
                    h('td', {}, d(`limit-${o.limit.per}` as DirKey)),
                    h(
                      'td',
                      {},
                      h(
                        'div',
                        { class: 'row' },
                        button(b('edit'), titleOf(o), () => formBox.replaceChildren(offerForm(p, o, reload))),
                        button(b('retire'), titleOf(o), () => confirm(b('confirmRetire', { name: titleOf(o) })) && void (async () => {
                          try {
                            await ctx.api.request('DELETE', `/v1/offers/${o.id}`);
                            say(b('retired', { name: titleOf(o) }));
                            await reload();
                          } catch (err) {
                            msg.textContent = ctx.problem(err);
                          }
                        })(), 'danger'),
                      ),
                    ),
                  ),
                ),
              ),
            )
          : h('p', {}, b('noOffers')),
      );
      formBox.replaceChildren(offerForm(p, null, reload));
    };
    offersBox.replaceChildren(h('section', { class: 'card-box', 'aria-labelledby': 'offers-of-h' }, h('h2', { id: 'offers-of-h' }, b('offersTitle', { name: p.name })), box, formBox));
    try {
      await reload();
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
    offersBox.querySelector('h2')?.scrollIntoView();
  }

  async function load() {
    const items = await livePartners(ctx);
    const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    const acc = items.filter((p) => p.acceptsCardAsId);
    accepted.replaceChildren(
      acc.length
        ? h(
            'table',
            { class: 'accepted-table' },
            h('caption', { class: 'visually-hidden' }, b('accepted')),
            h('thead', {}, h('tr', {}, ...[b('name'), b('category'), b('lastConfirmed'), b('actions')].map((x) => h('th', { scope: 'col' }, x)))),
            h(
              'tbody',
              {},
              ...acc.map((p) =>
                h(
                  'tr',
                  { 'data-partner': p.id },
                  h('td', {}, h('bdi', {}, p.name)),
                  h('td', {}, d(`cat-${p.category}` as DirKey)),
                  h('td', { class: 'confirmed-on' }, p.acceptanceConfirmedOn ? formatDate(ctx.lang, p.acceptanceConfirmedOn) : '—', p.acceptanceConfirmedOn && today && p.acceptanceConfirmedOn < yearAgo ? h('div', { class: 'error' }, b('stale')) : null),
                  h('td', {}, button(b('confirmToday'), p.name, () => void run(async () => (await ctx.api.request('PATCH', `/v1/partners/${p.id}`, { json: { acceptsCardAsId: true } }), b('confirmed', { name: p.name }))))),
                ),
              ),
            ),
          )
        : h('p', {}, b('noneAccepted')),
    );
    partnersBox.replaceChildren(
      items.length
        ? h(
            'table',
            { class: 'partners-table' },
            h('caption', { class: 'visually-hidden' }, b('partners')),
            h('thead', {}, h('tr', {}, ...[b('name'), b('category'), b('actions')].map((x) => h('th', { scope: 'col' }, x)))),
            h(
              'tbody',
              {},
              ...items.map((p) =>
                h(
                  'tr',
                  { 'data-partner': p.id },
                  h('td', {}, h('bdi', {}, p.name), p.acceptsCardAsId ? h('div', { class: 'hint' }, b('acceptsNow')) : null),
                  h('td', {}, d(`cat-${p.category}` as DirKey)),
                  h(
                    'td',
                    {},
                    h(
                      'div',
                      { class: 'row' },
                      button(b('edit'), p.name, () => (partnerFormBox.replaceChildren(partnerForm(p)), partnerFormBox.scrollIntoView())),
                      button(b('offersOf'), p.name, () => void showOffers(p)),
                      button(b('retire'), p.name, () => confirm(b('confirmRetire', { name: p.name })) && void run(async () => (await ctx.api.request('DELETE', `/v1/partners/${p.id}`), offersBox.replaceChildren(), b('retired', { name: p.name }))), 'danger'),
                    ),
                  ),
                ),
              ),
            ),
          )
        : h('p', {}, b('none')),
    );
  }

  try {
    // The city's language, which a missing text falls back to, and "today" as the server sees it.
    const res = await ctx.api.request<{ cityLanguage?: string }>('GET', '/v1/offers?limit=1');
    if (res.cityLanguage && (LANGS as readonly string[]).includes(res.cityLanguage)) cityLang = res.cityLanguage as Lang;
    today = new Date().toISOString().slice(0, 10);
    partnerFormBox.replaceChildren(partnerForm(null));
    await load();
  } catch (err) {
    msg.textContent = ctx.problem(err);
  }
};
