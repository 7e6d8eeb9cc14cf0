/**
 * GET /network: the cities this city knows — itself, its partners, its
 * national trust list, the world directory — who issues the card, since
 * when, in which languages, what each does for newcomers; five languages,
 * right to left for Arabic, readable at 360 px. Public: it reads only
 * GET /v1/network, 50 cities at a time (a directory of 35,000 stays light on
 * a cheap phone). The map is an SVG drawn from the coordinates the cities
 * publish: no tiles, nothing fetched from anywhere else.
 */
import { h, fill } from '../shared/dom.js';
import { applyLanguage, formatDate, isLang, languageSelect, pickLanguage, translator, type Lang } from '../shared/i18n.js';
import { STRINGS, type Key } from './strings.js';

interface City {
  id: string;
  name: string;
  country: string;
  source: 'self' | 'manual' | 'trust_list' | 'directory';
  recognised: boolean;
  verified: boolean;
  knownSince?: string;
  website?: string;
  since?: string;
  languages?: string[];
  receptionActions?: Record<string, string>;
  offersCount?: number;
  nextWelcomingWeek?: { name: string; startsOn: string; endsOn: string };
  coordinates?: { lat: number; lon: number };
}
interface Page {
  city: string;
  name: string;
  country: string;
  items: City[];
  next?: string;
}

type T = (k: Key, v?: Record<string, string | number>) => string;
const PAGE = 50;
const params = new URLSearchParams(location.search);
const state = {
  lang: (isLang(params.get('lang')) ? params.get('lang') : pickLanguage(navigator.languages)) as Lang,
  own: '',
  items: [] as City[],
  next: undefined as string | undefined,
  loading: true,
  failed: false,
};

function named(lang: Lang, type: 'region' | 'language', code: string): string {
  try {
    return new Intl.DisplayNames([lang], { type }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The reader's language, else English, else the first the city wrote. */
function pick(text: Record<string, string>, lang: Lang): [string, string] | undefined {
  const key = text[lang] ? lang : text.en ? 'en' : Object.keys(text)[0];
  return key ? [key, text[key]!] : undefined;
}

function cityCard(c: City, t: T, lang: Lang): HTMLElement {
  const actions = c.receptionActions ? pick(c.receptionActions, lang) : undefined;
  const w = c.nextWelcomingWeek;
  const self = c.source === 'self';
  return h(
    'li',
    { class: 'city', 'data-city': c.id },
    h('h3', {}, c.name),
    h(
      'ul',
      { class: 'badges' },
      h('li', { class: self ? 'self' : '' }, self ? t('self') : t(`source-${c.source}` as Key)),
      h('li', {}, c.recognised ? t('recognised') : t('foreign')),
    ),
    c.verified ? null : h('p', {}, t('unverified')),
    c.since ? h('p', {}, t('since', { date: formatDate(lang, c.since) })) : null,
    c.knownSince ? h('p', {}, t('knownSince', { date: formatDate(lang, c.knownSince) })) : null,
    c.languages?.length ? h('p', {}, t('languages', { list: new Intl.ListFormat(lang, { type: 'conjunction' }).format(c.languages.map((l) => named(lang, 'language', l))) })) : null,
    actions ? h('p', { class: 'actions' }, h('strong', {}, t('actions')), ' ', h('span', { lang: actions[0], dir: 'auto' }, actions[1])) : null,
    c.offersCount !== undefined ? h('p', {}, t('offers', { n: c.offersCount }), self ? ' ' : null, self ? h('a', { href: '/offers' }, t('offersLink')) : null) : null,
    w ? h('p', {}, t('week', { name: w.name, from: formatDate(lang, w.startsOn), to: formatDate(lang, w.endsOn) }), self ? ' ' : null, self ? h('a', { href: '/events' }, t('weekLink')) : null) : null,
    c.website ? h('p', {}, h('a', { href: c.website, rel: 'noopener noreferrer' }, t('website', { city: c.name }))) : null,
  );
}

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The cities with coordinates as dots, equirectangular (longitudes shrunk by the cosine of the mean latitude). */
function map(cities: City[], t: T): HTMLElement | null {
  const placed = cities.filter((c) => c.coordinates);
  // One dot says nothing; past a few dozen, names would cover each other (the list below has them all).
  if (placed.length < 2) return null;
  const labelled = placed.length <= 25;
  const mean = placed.reduce((s, c) => s + c.coordinates!.lat, 0) / placed.length;
  const k = Math.cos((mean * Math.PI) / 180);
  const pts = placed.map((c) => ({ c, x: c.coordinates!.lon * k, y: -c.coordinates!.lat }));
  let [x0, x1, y0, y1] = [Math.min(...pts.map((p) => p.x)), Math.max(...pts.map((p) => p.x)), Math.min(...pts.map((p) => p.y)), Math.max(...pts.map((p) => p.y))];
  // At least a degree or so around a lone city; the labels need room.
  const span = Math.max(x1 - x0, y1 - y0, 2);
  [x0, x1] = [(x0 + x1) / 2 - span / 2, (x0 + x1) / 2 + span / 2];
  [y0, y1] = [(y0 + y1) / 2 - span / 2, (y0 + y1) / 2 + span / 2];
  const W = 400;
  const H = 220;
  const pad = 30;
  const scale = Math.min((W - 2 * pad) / (x1 - x0), (H - 2 * pad) / (y1 - y0));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': t('mapLabel', { n: placed.length }) });
  for (const p of pts) {
    const x = W / 2 + (p.x - (x0 + x1) / 2) * scale;
    const y = H / 2 + (p.y - (y0 + y1) / 2) * scale;
    const right = x > W / 2;
    root.append(svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: p.c.source === 'self' ? 6 : 4, fill: p.c.source === 'self' ? '#0b5cad' : '#1b1f24' }));
    if (labelled) root.append(svg('text', { x: (right ? x - 8 : x + 8).toFixed(1), y: (y + 4).toFixed(1), 'font-size': 12, fill: '#1b1f24', 'text-anchor': right ? 'end' : 'start', direction: 'ltr' }, p.c.name));
  }
  const fig = h('figure', { class: 'map' }, h('figcaption', {}, t('mapCaption')));
  fig.prepend(root as unknown as HTMLElement);
  return fig;
}

function render(): void {
  const { lang } = state;
  const t = translator(STRINGS, lang);
  applyLanguage(lang);
  document.title = t('title');
  // By country, in the order the server sends them (country, then id).
  const groups = new Map<string, City[]>();
  for (const c of state.items) groups.set(c.country, [...(groups.get(c.country) ?? []), c]);
  const body = state.failed
    ? h('p', { role: 'alert' }, t('error'))
    : state.items.length === 0
      ? h('p', {}, state.loading ? t('loading') : t('empty'))
      : h(
          'div',
          {},
          ...[...groups].map(([country, cities]) =>
            h('section', { 'aria-labelledby': `c-${country}` }, h('h2', { id: `c-${country}` }, named(lang, 'region', country)), h('ul', { class: 'cities' }, ...cities.map((c) => cityCard(c, t, lang)))),
          ),
        );
  const drawn = map(state.items, t);
  fill(
    document.body,
    h('header', { class: 'top' }, h('p', { class: 'brand' }, t('title')), languageSelect(lang, t('language'), (l) => ((state.lang = l), render()))),
    h(
      'main',
      {},
      h('h1', {}, t('title')),
      state.own ? h('p', {}, t('intro', { city: state.own })) : null,
      h('p', {}, h('a', { href: '/verify' }, t('verify'))),
      drawn ? h('section', { 'aria-labelledby': 'map-h' }, h('h2', { id: 'map-h' }, t('map')), drawn) : null,
      h('p', { role: 'status' }, state.failed || state.loading ? '' : t('count', { n: state.items.length })),
      body,
      state.next && !state.failed ? h('button', { type: 'button', class: 'more', onclick: () => void load() }, t('more')) : null,
    ),
  );
}

async function load(): Promise<void> {
  const q = new URLSearchParams({ limit: String(PAGE) });
  if (state.next) q.set('after', state.next);
  state.loading = true;
  try {
    const res = await fetch(`/v1/network?${q}`, { headers: { accept: 'application/json' }, credentials: 'omit' });
    if (!res.ok) throw new Error(String(res.status));
    const page = (await res.json()) as Page;
    state.own = page.name;
    state.items = [...state.items, ...page.items];
    state.next = page.next;
    state.failed = false;
  } catch {
    state.failed = true;
  }
  state.loading = false;
  render();
}

render();
void load();
