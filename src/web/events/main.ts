/**
 * GET /events: the Welcoming Week programme as a list and as a month
 * calendar, in five languages, right-to-left for Arabic, readable at 360 px.
 * Public: it reads only GET /v1/events and links the .ics calendars. Times
 * are shown in each event's own time zone (where it happens), not the
 * visitor's device's.
 */
import { h, fill } from '../shared/dom.js';
import { applyLanguage, isLang, languageSelect, pickLanguage, translator, type Lang } from '../shared/i18n.js';
import { STRINGS, type Key } from './strings.js';

interface EventItem {
  id: string;
  title: Record<string, string>;
  description: Record<string, string> | null;
  category: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: { name: string; address: string } | null;
  languages: string[];
  capacity: number | null;
  access: string;
  rsvp: string;
}

const CATEGORIES = ['music', 'cooking', 'testimonies', 'history-of-migration', 'sport', 'children', 'language-exchange', 'card-holder-meeting', 'other'];
const params = new URLSearchParams(location.search);
const state = { lang: (isLang(params.get('lang')) ? params.get('lang') : pickLanguage(navigator.languages)) as Lang, view: params.get('view') === 'calendar' ? 'calendar' : 'list', category: '', items: [] as EventItem[], failed: false };
const loc = (lang: Lang) => `${lang}-u-nu-latn`;
const pick = (text: Record<string, string> | null, lang: Lang) => (text ? (text[lang] ?? text.en ?? '') : '');

function when(e: EventItem, lang: Lang): string {
  const day = new Intl.DateTimeFormat(loc(lang), { dateStyle: 'full', timeZone: e.timeZone }).format(new Date(e.startsAt));
  const time = (iso: string) => new Intl.DateTimeFormat(loc(lang), { timeStyle: 'short', timeZone: e.timeZone }).format(new Date(iso));
  return `${day}, ${time(e.startsAt)}–${time(e.endsAt)}`;
}

function card(e: EventItem, t: (k: Key, v?: Record<string, string | number>) => string, lang: Lang): HTMLElement {
  const languageNames = new Intl.DisplayNames([lang], { type: 'language' });
  const rsvp = e.rsvp === 'lottery' ? t('rsvpLottery') : e.rsvp === 'first-come' ? t('rsvpFirstCome') : t('rsvpNone');
  return h(
    'li',
    { class: 'event', id: e.id },
    h('h2', { lang: e.title[lang] ? lang : 'en' }, pick(e.title, lang)),
    h('p', { class: 'when' }, h('time', { datetime: e.startsAt }, when(e, lang))),
    e.place ? h('p', {}, `${e.place.name} — ${e.place.address}`) : null,
    e.description ? h('p', {}, pick(e.description, lang)) : null,
    h(
      'ul',
      { class: 'badges' },
      h('li', {}, t(`cat-${e.category}` as Key)),
      h('li', {}, e.access === 'card-holders' ? t('cardHolders') : t('open')),
      h('li', {}, rsvp),
      e.capacity ? h('li', {}, t('places', { n: e.capacity })) : null,
    ),
    e.languages.length > 0 ? h('p', {}, t('languages', { list: e.languages.map((l) => languageNames.of(l) ?? l).join(', ') })) : null,
    h('a', { href: `/v1/events/${e.id}.ics?lang=${lang}`, download: '' }, t('addToCalendar')),
  );
}

/** One month grid per month with events, weeks starting on Monday (ISO 8601). */
function calendarView(items: EventItem[], lang: Lang): HTMLElement {
  const out = h('div', {});
  const dayOf = (e: EventItem) => new Intl.DateTimeFormat('en-CA', { timeZone: e.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(e.startsAt));
  const months = [...new Set(items.map((e) => dayOf(e).slice(0, 7)))].sort();
  const weekday = new Intl.DateTimeFormat(loc(lang), { weekday: 'narrow', timeZone: 'UTC' });
  for (const m of months) {
    const [y, mo] = m.split('-').map(Number) as [number, number];
    const first = new Date(Date.UTC(y, mo - 1, 1));
    const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    const lead = (first.getUTCDay() + 6) % 7;
    const grid = h('div', { class: 'grid' });
    for (let d = 0; d < 7; d++) grid.append(h('div', { class: 'head', 'aria-hidden': 'true' }, weekday.format(new Date(Date.UTC(2024, 0, 1 + d)))));
    for (let i = 0; i < lead; i++) grid.append(h('div', { class: 'day blank' }));
    for (let d = 1; d <= days; d++) {
      const iso = `${m}-${String(d).padStart(2, '0')}`;
      const cell = h('div', { class: 'day' }, h('span', {}, d));
      for (const e of items.filter((x) => dayOf(x) === iso)) cell.append(h('a', { href: `#${e.id}`, title: pick(e.title, lang) }, pick(e.title, lang)));
      grid.append(cell);
    }
    out.append(h('section', { class: 'month' }, h('h2', {}, new Intl.DateTimeFormat(loc(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(first)), grid));
  }
  return out;
}

function render(): void {
  const { lang } = state;
  const t = translator(STRINGS, lang);
  applyLanguage(lang);
  document.title = t('title');
  const items = state.items.filter((e) => !state.category || e.category === state.category);
  const select = h('select', { id: 'category', onchange: (ev: Event) => ((state.category = (ev.target as HTMLSelectElement).value), render()) }, h('option', { value: '' }, t('all')));
  for (const c of CATEGORIES) select.append(h('option', { value: c, ...(c === state.category ? { selected: true } : {}) }, t(`cat-${c}` as Key)));
  const viewButton = (v: 'list' | 'calendar') => h('button', { type: 'button', 'aria-pressed': String(state.view === v), onclick: () => ((state.view = v), render()) }, t(v));
  const body = state.failed ? h('p', { role: 'alert' }, t('error')) : items.length === 0 ? h('p', {}, t('empty')) : state.view === 'list' ? h('ul', { class: 'events' }, ...items.map((e) => card(e, t, lang))) : calendarView(items, lang);
  fill(
    document.body,
    h('header', { class: 'top' }, h('p', { class: 'brand' }, t('title')), languageSelect(lang, t('language'), (l) => ((state.lang = l), render()))),
    h(
      'main',
      {},
      h('h1', {}, t('title')),
      h('p', {}, t('intro')),
      h('div', { class: 'toolbar' }, viewButton('list'), viewButton('calendar'), h('div', { class: 'field' }, h('label', { for: 'category' }, t('category')), select)),
      body,
      h('p', {}, h('a', { href: `/v1/events.ics?lang=${lang}` }, t('wholeProgramme'))),
    ),
  );
}

async function load(): Promise<void> {
  try {
    const res = await fetch('/v1/events', { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(String(res.status));
    state.items = ((await res.json()) as { items: EventItem[] }).items;
  } catch {
    state.failed = true;
  }
  render();
}

render();
void load();
