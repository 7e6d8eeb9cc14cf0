/**
 * GET /offers: the card's offers and the places that accept it as ID, in
 * five languages, right to left for Arabic, readable at 360 px. Public: it
 * reads only GET /v1/offers and GET /v1/partners (50 offers at a time, so a
 * directory of thousands stays light on a cheap phone); nothing typed here
 * is stored.
 */
import { h, fill } from '../shared/dom.js';
import { applyLanguage, formatDate, isLang, languageSelect, pickLanguage, translator, type Lang } from '../shared/i18n.js';
import { STRINGS, type Key } from './strings.js';
import type { OfferView } from '../shared/offer.js';

type Offer = OfferView;
interface Partner {
  id: string;
  name: string;
  category: string;
  description: Record<string, string>;
  addresses: Array<{ line1: string; postalCode?: string; locality: string }>;
  hours: string | null;
  languages: string[];
  website: string | null;
  phone: string | null;
  acceptanceConfirmedOn: string | null;
}

const CATEGORIES = ['culture', 'library', 'health', 'finance', 'transport', 'sport', 'food', 'education', 'legal-aid', 'social-services', 'other'];
const SPOKEN = ['ar', 'en', 'es', 'fr', 'pt', 'de', 'it', 'tr', 'ru', 'uk', 'fa', 'ps', 'ti', 'so', 'wo', 'ln', 'zh'];
const PAGE = 50;
const params = new URLSearchParams(location.search);
const state = {
  lang: (isLang(params.get('lang')) ? params.get('lang') : pickLanguage(navigator.languages)) as Lang,
  category: '',
  spoken: '',
  q: '',
  offers: [] as Offer[],
  total: 0,
  accepted: [] as Partner[],
  failed: false,
  /** The language a missing text falls back to (GET /v1/offers says it). */
  cityLanguage: 'en',
};
const pick = (text: Record<string, string>, lang: Lang) => text[lang] ?? text[state.cityLanguage] ?? Object.values(text)[0] ?? '';
const langOf = (text: Record<string, string>, lang: Lang) => (text[lang] ? lang : text[state.cityLanguage] ? state.cityLanguage : (Object.keys(text)[0] ?? state.cityLanguage));

function offerCard(o: Offer, t: (k: Key, v?: Record<string, string | number>) => string, lang: Lang): HTMLElement {
  const age = o.ageMin !== null && o.ageMax !== null ? t('ageRange', { min: o.ageMin, max: o.ageMax }) : o.ageMin !== null ? t('ageFrom', { n: o.ageMin }) : o.ageMax !== null ? t('ageTo', { n: o.ageMax }) : null;
  const description = pick(o.description, lang);
  return h(
    'li',
    { class: 'offer' },
    h('h3', { lang: langOf(o.title, lang) }, pick(o.title, lang)),
    h('p', { class: 'partner' }, o.partner.name),
    description ? h('p', { lang: langOf(o.description, lang) }, description) : null,
    h(
      'ul',
      { class: 'badges' },
      h('li', {}, t(`kind-${o.kind}` as Key)),
      h('li', {}, t(`cat-${o.partner.category}` as Key)),
      h('li', {}, t(`limit-${o.limit.per}` as Key)),
      age ? h('li', {}, age) : null,
      o.validFrom ? h('li', {}, t('from', { date: formatDate(lang, o.validFrom) })) : null,
      o.validUntil ? h('li', {}, t('until', { date: formatDate(lang, o.validUntil) })) : null,
      o.partnerCityHolders ? h('li', {}, t('partnerCities')) : null,
    ),
  );
}

function placeCard(p: Partner, t: (k: Key, v?: Record<string, string | number>) => string, lang: Lang): HTMLElement {
  const names = new Intl.DisplayNames([lang], { type: 'language' });
  return h(
    'li',
    { class: 'place' },
    h('h3', {}, p.name),
    h('ul', { class: 'badges' }, h('li', {}, t(`cat-${p.category}` as Key)), p.acceptanceConfirmedOn ? h('li', {}, t('confirmed', { date: formatDate(lang, p.acceptanceConfirmedOn) })) : null),
    ...p.addresses.map((a) => h('p', { class: 'address' }, [a.line1, [a.postalCode, a.locality].filter(Boolean).join(' ')].join(', '))),
    p.hours ? h('p', { dir: 'ltr' }, t('hours', { hours: p.hours })) : null,
    p.languages.length > 0 ? h('p', {}, t('speaks', { list: p.languages.map((l) => names.of(l) ?? l).join(', ') })) : null,
    p.phone ? h('p', {}, h('a', { href: `tel:${p.phone.replace(/[^+0-9]/g, '')}`, dir: 'ltr' }, p.phone)) : null,
    p.website ? h('p', {}, h('a', { href: p.website, rel: 'noopener noreferrer' }, t('website'))) : null,
  );
}

function render(): void {
  const { lang } = state;
  const t = translator(STRINGS, lang);
  applyLanguage(lang);
  document.title = t('title');
  const select = (id: string, label: string, current: string, options: Array<[string, string]>, onPick: (v: string) => void) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      h('select', { id, onchange: (ev: Event) => onPick((ev.target as HTMLSelectElement).value) }, h('option', { value: '' }, t('all')), ...options.map(([v, text]) => h('option', { value: v, ...(v === current ? { selected: true } : {}) }, text))),
    );
  const names = new Intl.DisplayNames([lang], { type: 'language' });
  const search = h('input', { id: 'q', type: 'search', value: state.q, maxlength: 100 });
  const form = h(
    'form',
    { class: 'toolbar', role: 'search', onsubmit: (ev: Event) => (ev.preventDefault(), (state.q = search.value.trim()), void loadOffers(false)) },
    select('category', t('category'), state.category, CATEGORIES.map((c) => [c, t(`cat-${c}` as Key)]), (v) => ((state.category = v), void loadOffers(false))),
    select('spoken', t('spoken'), state.spoken, SPOKEN.map((l) => [l, names.of(l) ?? l]), (v) => ((state.spoken = v), void loadOffers(false))),
    h('div', { class: 'field' }, h('label', { for: 'q' }, t('search')), search),
    h('button', { type: 'submit' }, t('search')),
  );
  const offers = state.failed
    ? h('p', { role: 'alert' }, t('error'))
    : state.offers.length === 0
      ? h('p', {}, t('empty'))
      : h('ul', { class: 'cards offers' }, ...state.offers.map((o) => offerCard(o, t, lang)));
  fill(
    document.body,
    h('header', { class: 'top' }, h('p', { class: 'brand' }, t('title')), languageSelect(lang, t('language'), (l) => ((state.lang = l), render()))),
    h(
      'main',
      {},
      h('h1', {}, t('title')),
      h('p', {}, t('intro')),
      h(
        'section',
        { 'aria-labelledby': 'offers-h' },
        h('h2', { id: 'offers-h' }, t('offers')),
        form,
        h('p', { role: 'status' }, state.failed ? '' : t('count', { n: state.total })),
        offers,
        state.offers.length < state.total ? h('button', { type: 'button', class: 'more', onclick: () => void loadOffers(true) }, t('more')) : null,
      ),
      h(
        'section',
        { 'aria-labelledby': 'accepted-h' },
        h('h2', { id: 'accepted-h' }, t('accepted')),
        h('p', {}, t('acceptedIntro')),
        state.accepted.length === 0 ? h('p', {}, t('emptyAccepted')) : h('ul', { class: 'cards places' }, ...state.accepted.map((p) => placeCard(p, t, lang))),
      ),
    ),
  );
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(String(res.status));
  return (await res.json()) as T;
}

async function loadOffers(more: boolean): Promise<void> {
  const q = new URLSearchParams({ limit: String(PAGE), offset: String(more ? state.offers.length : 0) });
  if (state.category) q.set('category', state.category);
  if (state.spoken) q.set('language', state.spoken);
  if (state.q) q.set('q', state.q);
  try {
    const page = await getJson<{ items: Offer[]; total: number; cityLanguage?: string }>(`/v1/offers?${q}`);
    if (page.cityLanguage) state.cityLanguage = page.cityLanguage;
    state.offers = more ? [...state.offers, ...page.items] : page.items;
    state.total = page.total;
    state.failed = false;
  } catch {
    state.failed = true;
  }
  render();
}

async function loadAccepted(): Promise<void> {
  try {
    state.accepted = (await getJson<{ items: Partner[] }>('/v1/partners?acceptsCardAsId=true&limit=500')).items;
  } catch {
    state.accepted = [];
  }
  render();
}

render();
void loadOffers(false);
void loadAccepted();
