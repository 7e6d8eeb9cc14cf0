/**
 * The card's offers in the portal: in the holder's language (else the
 * city's), by category, and near a place the holder types.
 *
 * There is no geocoder offline, and sending a typed address to one (or to
 * us) would say where a card holder lives or goes. So the typed text never
 * leaves the page: it is matched here against the partners' own addresses
 * (a postcode, a district, a street), and when the matching addresses have
 * coordinates, partners are ranked by distance from them. To make the
 * requests themselves say nothing, the panel downloads the whole public
 * directory once, when it is opened, without the holder's token, whatever
 * is picked or typed afterwards. Strings live here (five languages), with
 * the category, kind and limit names shared with /offers.
 */
import { h } from '../shared/dom.js';
import { formatDate, isLang, translator, type Lang } from '../shared/i18n.js';
import { STRINGS as DIRECTORY, type Key as DirKey } from '../offers/strings.js';
import type { PortalCtx } from './context.js';
import type { OfferView } from '../shared/offer.js';

export interface Address {
  line1: string;
  postalCode?: string;
  locality: string;
  lat?: number;
  lon?: number;
}
interface Partner {
  id: string;
  name: string;
  category: string;
  addresses: Address[];
  hours: string | null;
  phone: string | null;
  website: string | null;
}
type Offer = OfferView;

type W = 'title' | 'intro' | 'show' | 'loading' | 'error' | 'category' | 'all' | 'near' | 'nearHint' | 'nearGo' | 'nearClear' | 'noMatch' | 'nearCount' | 'count' | 'none' | 'more' | 'hours' | 'address' | 'distance' | 'inLang' | 'page';
const S: Record<Lang, Record<W, string>> = {
  en: {
    title: 'Offers with your card', intro: 'Free entry, memberships, discounts and services from the city’s partners. Show your card at the counter.', show: 'Show the offers', loading: 'Loading the offers…', error: 'The offers could not be loaded. Try again later.',
    category: 'Category', all: 'All', near: 'Near (postcode, district or street)', nearHint: 'What you type stays on this phone: it is compared with the partners’ addresses on this page, never sent or kept.', nearGo: 'Show what is near', nearClear: 'Show all',
    noMatch: 'No partner address matches what you typed. Try a postcode, a district or a street name.', nearCount: '{{n}} places near what you typed', count: '{{n}} offers', none: 'No offers match.', more: 'Show more',
    hours: 'Opening hours: {{hours}}', address: 'Address', distance: 'about {{km}} km', inLang: 'Not yet translated: shown in {{lang}}.', page: 'Every offer, and the places that accept the card as ID',
  },
  fr: {
    title: 'Les offres de votre carte', intro: 'Entrées gratuites, adhésions, réductions et services des partenaires de la ville. Montrez votre carte au guichet.', show: 'Afficher les offres', loading: 'Chargement des offres…', error: 'Les offres n’ont pas pu être chargées. Réessayez plus tard.',
    category: 'Catégorie', all: 'Toutes', near: 'Près de (code postal, quartier ou rue)', nearHint: 'Ce que vous tapez reste sur ce téléphone : il est comparé aux adresses des partenaires sur cette page, jamais envoyé ni gardé.', nearGo: 'Afficher ce qui est proche', nearClear: 'Tout afficher',
    noMatch: 'Aucune adresse de partenaire ne correspond. Essayez un code postal, un quartier ou un nom de rue.', nearCount: '{{n}} lieux près de ce que vous avez tapé', count: '{{n}} offres', none: 'Aucune offre ne correspond.', more: 'Afficher plus',
    hours: 'Horaires : {{hours}}', address: 'Adresse', distance: 'à environ {{km}} km', inLang: 'Pas encore traduit : affiché en {{lang}}.', page: 'Toutes les offres, et les lieux qui acceptent la carte comme pièce d’identité',
  },
  es: {
    title: 'Las ofertas de su tarjeta', intro: 'Entradas gratuitas, membresías, descuentos y servicios de los socios de la ciudad. Muestre su tarjeta en el mostrador.', show: 'Mostrar las ofertas', loading: 'Cargando las ofertas…', error: 'No se pudieron cargar las ofertas. Inténtelo más tarde.',
    category: 'Categoría', all: 'Todas', near: 'Cerca de (código postal, barrio o calle)', nearHint: 'Lo que escribe se queda en este teléfono: se compara con las direcciones de los socios en esta página, nunca se envía ni se guarda.', nearGo: 'Mostrar lo cercano', nearClear: 'Mostrar todo',
    noMatch: 'Ninguna dirección de socio coincide. Pruebe con un código postal, un barrio o el nombre de una calle.', nearCount: '{{n}} lugares cerca de lo que escribió', count: '{{n}} ofertas', none: 'Ninguna oferta coincide.', more: 'Mostrar más',
    hours: 'Horario: {{hours}}', address: 'Dirección', distance: 'a unos {{km}} km', inLang: 'Aún sin traducir: se muestra en {{lang}}.', page: 'Todas las ofertas, y los lugares que aceptan la tarjeta como identificación',
  },
  pt: {
    title: 'As ofertas do seu cartão', intro: 'Entradas gratuitas, associações, descontos e serviços dos parceiros da cidade. Mostre o seu cartão no balcão.', show: 'Mostrar as ofertas', loading: 'A carregar as ofertas…', error: 'Não foi possível carregar as ofertas. Tente mais tarde.',
    category: 'Categoria', all: 'Todas', near: 'Perto de (código postal, bairro ou rua)', nearHint: 'O que escreve fica neste telemóvel: é comparado com as moradas dos parceiros nesta página, nunca é enviado nem guardado.', nearGo: 'Mostrar o que está perto', nearClear: 'Mostrar tudo',
    noMatch: 'Nenhuma morada de parceiro corresponde. Experimente um código postal, um bairro ou o nome de uma rua.', nearCount: '{{n}} locais perto do que escreveu', count: '{{n}} ofertas', none: 'Nenhuma oferta corresponde.', more: 'Mostrar mais',
    hours: 'Horário: {{hours}}', address: 'Morada', distance: 'a cerca de {{km}} km', inLang: 'Ainda sem tradução: mostrado em {{lang}}.', page: 'Todas as ofertas, e os locais que aceitam o cartão como identificação',
  },
  ar: {
    title: 'عروض بطاقتك', intro: 'دخول مجاني وعضويات وتخفيضات وخدمات من شركاء المدينة. أظهر بطاقتك عند الشباك.', show: 'اعرض العروض', loading: 'جارٍ تحميل العروض…', error: 'تعذّر تحميل العروض. حاول لاحقًا.',
    category: 'الفئة', all: 'الكل', near: 'بالقرب من (الرمز البريدي أو الحي أو الشارع)', nearHint: 'ما تكتبه يبقى على هذا الهاتف: يُقارن بعناوين الشركاء في هذه الصفحة، ولا يُرسل ولا يُحفظ أبدًا.', nearGo: 'اعرض ما هو قريب', nearClear: 'اعرض الكل',
    noMatch: 'لا يطابق أي عنوان شريك ما كتبته. جرّب رمزًا بريديًا أو اسم حي أو شارع.', nearCount: '{{n}} أماكن قرب ما كتبته', count: '{{n}} عروض', none: 'لا توجد عروض مطابقة.', more: 'اعرض المزيد',
    hours: 'ساعات العمل: {{hours}}', address: 'العنوان', distance: 'على بعد {{km}} كم تقريبًا', inLang: 'لم يُترجم بعد: معروض بـ{{lang}}.', page: 'كل العروض، والأماكن التي تقبل البطاقة كوثيقة هوية',
  },
};

const CATEGORIES = ['culture', 'library', 'health', 'finance', 'transport', 'sport', 'food', 'education', 'legal-aid', 'social-services', 'other'];
const PAGE = 20;
/** Partners within this distance of the typed place count as near. */
const NEAR_KM = 3;

/** Lower case, without accents, single spaces: "Rue de l'Église" and "rue de l eglise" match. */
export const normalise = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const addressText = (a: Address) => normalise([a.line1, a.postalCode, a.locality].filter(Boolean).join(' '));

function km(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const x = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(x));
}

/**
 * The partners near a typed place, nearest first, with the address to show.
 * `null` when no partner address matches the text at all.
 */
export function nearby(partners: Array<{ id: string; addresses: Address[] }>, typed: string): Map<string, { address: Address; km: number | null }> | null {
  const words = normalise(typed).split(' ').filter(Boolean);
  if (words.length === 0) return null;
  const matches = (a: Address) => {
    const text = ` ${addressText(a)} `;
    return words.every((w) => text.includes(` ${w}`));
  };
  const hit = partners.flatMap((p) => p.addresses.filter(matches).map((a) => ({ p, a })));
  if (hit.length === 0) return null;
  const located = hit.filter(({ a }) => a.lat !== undefined && a.lon !== undefined);
  const centre = located.length ? { lat: located.reduce((s, { a }) => s + a.lat!, 0) / located.length, lon: located.reduce((s, { a }) => s + a.lon!, 0) / located.length } : null;
  const out: Array<[string, { address: Address; km: number | null }]> = [];
  for (const p of partners) {
    let best: { address: Address; km: number | null } | null = null;
    for (const a of p.addresses) {
      const d = centre && a.lat !== undefined && a.lon !== undefined ? km(centre, { lat: a.lat, lon: a.lon }) : null;
      if (d !== null && d <= NEAR_KM && (best === null || best.km === null || d < best.km)) best = { address: a, km: d };
      else if (best === null && matches(a)) best = { address: a, km: d };
    }
    if (best) out.push([p.id, best]);
  }
  out.sort((x, y) => (x[1].km ?? 0) - (y[1].km ?? 0));
  return new Map(out);
}

/** Every page of a public list, without the holder's token: the directory is the same for everyone. */
async function all<T>(path: string): Promise<{ items: T[]; cityLanguage?: string }> {
  const items: T[] = [];
  let cityLanguage: string | undefined;
  for (let offset = 0; ; offset += 500) {
    const res = await fetch(`${path}?limit=500&offset=${offset}`, { credentials: 'omit', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(String(res.status));
    const page = (await res.json()) as { items: T[]; total: number; cityLanguage?: string };
    items.push(...page.items);
    cityLanguage ??= page.cityLanguage;
    if (page.items.length === 0 || items.length >= page.total) return { items, ...(cityLanguage ? { cityLanguage } : {}) };
  }
}

export function offersPanel(ctx: PortalCtx): HTMLElement {
  const lang = ctx.lang;
  const t = (w: W, vars: Record<string, string | number> = {}) => S[lang][w].replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ''));
  const d = translator(DIRECTORY, lang);
  const languageName = (l: string) => new Intl.DisplayNames([lang], { type: 'language' }).of(l) ?? l;
  const number = (n: number) => new Intl.NumberFormat(`${lang}-u-nu-latn`, { maximumFractionDigits: 1 }).format(n);

  let data: { offers: Offer[]; partners: Map<string, Partner>; cityLanguage: string } | null = null;
  let category = '';
  let near: Map<string, { address: Address; km: number | null }> | null = null;
  let shown = PAGE;

  const status = h('p', { role: 'status', class: 'offers-status' });
  const list = h('ul', { class: 'plain portal-offers' });
  const more = h('button', { type: 'button', hidden: true, onclick: () => ((shown += PAGE), draw()) }, t('more'));
  const categorySelect = h(
    'select',
    { id: 'offers-category', onchange: () => ((category = categorySelect.value), (shown = PAGE), draw()) },
    h('option', { value: '' }, t('all')),
    ...CATEGORIES.map((c) => h('option', { value: c }, d(`cat-${c}` as DirKey))),
  );
  // No name, no autocomplete, no form action: the browser has nothing to submit or remember.
  const place = h('input', { id: 'offers-near', type: 'search', autocomplete: 'off', spellcheck: 'false', maxlength: 100, 'aria-describedby': 'offers-near-hint' });
  const clear = h('button', { type: 'button', hidden: true, onclick: () => ((place.value = ''), (near = null), (shown = PAGE), draw()) }, t('nearClear'));
  const tools = h(
    'form',
    {
      class: 'offers-tools',
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (!data) return;
        near = place.value.trim() ? nearby([...data.partners.values()], place.value) : null;
        shown = PAGE;
        if (place.value.trim() && near === null) {
          draw();
          status.textContent = t('noMatch');
          return;
        }
        draw();
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'offers-category' }, t('category')), categorySelect),
    h('div', { class: 'field' }, h('label', { for: 'offers-near' }, t('near')), h('p', { class: 'hint', id: 'offers-near-hint' }, t('nearHint')), place),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, t('nearGo')), clear),
  );
  tools.hidden = true;

  const text = (m: Record<string, string>) => {
    for (const l of [lang, data!.cityLanguage]) if (m[l]) return { text: m[l], lang: l };
    const first = Object.keys(m)[0];
    return first ? { text: m[first]!, lang: first } : { text: '', lang };
  };
  const line = (a: Address) => [a.line1, [a.postalCode, a.locality].filter(Boolean).join(' ')].join(', ');

  function card(o: Offer): HTMLElement {
    const p = data!.partners.get(o.partnerId);
    const title = text(o.title);
    const description = text(o.description);
    const there = near?.get(o.partnerId);
    const address = there?.address ?? p?.addresses[0];
    return h(
      'li',
      { class: 'portal-offer', 'data-offer': o.id },
      h('h3', { lang: title.lang, dir: 'auto' }, title.text),
      title.lang !== lang ? h('p', { class: 'hint' }, t('inLang', { lang: languageName(title.lang) })) : null,
      h('p', { class: 'partner' }, h('bdi', {}, o.partner.name), ` — ${d(`cat-${o.partner.category}` as DirKey)}`),
      description.text ? h('p', { lang: description.lang, dir: 'auto' }, description.text) : null,
      h('p', { class: 'badges' }, `${d(`kind-${o.kind}` as DirKey)} · ${d(`limit-${o.limit.per}` as DirKey)}`, o.validUntil ? ` · ${d('until', { date: formatDate(lang, o.validUntil) })}` : ''),
      address ? h('p', { class: 'address' }, h('span', { class: 'visually-hidden' }, `${t('address')}: `), h('bdi', {}, line(address)), there?.km != null ? ` (${t('distance', { km: number(there.km) })})` : '') : null,
      p?.hours ? h('p', { class: 'hours' }, t('hours', { hours: '' }), h('bdi', { dir: 'ltr' }, p.hours)) : null,
    );
  }

  function draw() {
    if (!data) return;
    let offers = data.offers.filter((o) => !category || o.partner.category === category);
    if (near) {
      const order = [...near.keys()];
      offers = offers.filter((o) => near!.has(o.partnerId)).sort((a, b) => order.indexOf(a.partnerId) - order.indexOf(b.partnerId));
    }
    clear.hidden = near === null;
    status.textContent = offers.length === 0 ? t('none') : near ? `${t('nearCount', { n: near.size })} — ${t('count', { n: offers.length })}` : t('count', { n: offers.length });
    list.replaceChildren(...offers.slice(0, shown).map(card));
    more.hidden = offers.length <= shown;
  }

  async function open() {
    if (data) return;
    status.textContent = t('loading');
    try {
      const [offers, partners] = await Promise.all([all<Offer>('/v1/offers'), all<Partner>('/v1/partners')]);
      const city = offers.cityLanguage;
      data = { offers: offers.items, partners: new Map(partners.items.map((p) => [p.id, p])), cityLanguage: isLang(city) ? city : 'en' };
      tools.hidden = false;
      draw();
    } catch {
      status.textContent = t('error');
    }
  }

  const details = h('details', { class: 'offers-details', ontoggle: () => details.open && void open() }, h('summary', {}, t('show')), tools, status, list, more);
  return h('section', { class: 'card-box', 'aria-labelledby': 'offers-h' }, h('h2', { id: 'offers-h' }, t('title')), h('p', {}, t('intro'), ' ', h('a', { href: `/offers?lang=${lang}` }, t('page'))), details);
}
