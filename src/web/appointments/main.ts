/**
 * The public booking page: pick a site, a day and a time; get a reference,
 * a PIN, the documents to bring and an .ics. No account, no name, nothing
 * stored in the browser. Times are shown as the city gives them (its zone).
 */
import { ApiError, createApi } from '../shared/api.js';
import { announce, field, fill, focusHeading, h, saveBlob } from '../shared/dom.js';
import { applyLanguage, pickLanguage, translator, type Lang } from '../shared/i18n.js';
import { fillHeader } from '../shared/chrome.js';
import { TABLES, type Key } from './strings.js';

interface Site {
  id: string;
  name: string;
  address: string;
  languages: string[];
  accessibility?: string;
  nextFreeSlot: { start: string; remaining: number } | null;
  today: { open: boolean; walkInPlaces: number };
  nextRelease: { at: string };
}
interface Booked {
  status: 'confirmed' | 'pending' | 'unplaced';
  reference: string;
  pin?: string;
  start: string;
  drawAt?: string;
  site: { name: string; address: string };
  bring: Array<{ type: string; label: string; identityPoints: number; residencyPoints: number }>;
  requirements: { identityPoints: number; residencyPoints: number };
}

let lang: Lang = pickLanguage(navigator.languages ?? [navigator.language]);
let t = translator(TABLES, lang);
const api = createApi(() => lang);
const header = h('header', { class: 'top' });
const main = h('main', { id: 'main', tabindex: '-1' });
const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
let current: () => Promise<void> = sitesView;

/** "Friday 26 March, 09:00" from the city's ISO time, without converting it to the phone's zone. */
function when(iso: string): string {
  const day = new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T12:00:00Z`));
  return `${day}, ${iso.slice(11, 16)}`;
}
const say = (e: unknown) => (e instanceof ApiError ? (e.code === 'network' ? t('network') : e.problem.title) : t('network'));

function render(view: () => Promise<void>) {
  current = view;
  applyLanguage(lang);
  fillHeader(header, { title: t('title'), lang, languageLabel: t('language'), onLanguage: (l) => { lang = l; t = translator(TABLES, l); render(current); } });
  void view().then(() => focusHeading(main));
}

async function sitesView() {
  const list = await api.request<{ reminders: boolean; items: Site[] }>('GET', '/v1/enrolment-sites');
  fill(
    main,
    h('h1', {}, t('title')),
    h('p', {}, t('intro')),
    h('h2', {}, t('sites')),
    ...list.items.map((s) =>
      h(
        'section',
        { class: 'site' },
        h('h3', {}, s.name),
        h('p', {}, s.address),
        s.languages.length ? h('p', {}, t('speaks', { langs: s.languages.map((l) => new Intl.DisplayNames([lang], { type: 'language' }).of(l) ?? l).join(', ') })) : null,
        s.accessibility ? h('p', {}, s.accessibility) : null,
        h('p', {}, s.today.open ? t('walkIn', { n: s.today.walkInPlaces }) : t('walkInClosed')),
        h('p', {}, s.nextFreeSlot ? t('next', { when: when(s.nextFreeSlot.start) }) : t('nextRelease', { when: when(s.nextRelease.at) })),
        h('button', { type: 'button', class: 'primary', onclick: () => render(() => dayView(s, list.reminders, s.nextFreeSlot?.start.slice(0, 10))) }, t('choose')),
      ),
    ),
    manageForm(),
  );
}

async function dayView(site: Site, reminders: boolean, date = new Date().toISOString().slice(0, 10)) {
  const day = h('input', { type: 'date', value: date });
  const slotsBox = h('div', { class: 'slotlist', role: 'group' });
  const contact = h('input', { type: 'email', autocomplete: 'email' });
  const message = h('p', { class: 'error', role: 'alert' });
  let chosen: string | undefined;
  const book = h('button', { type: 'button', class: 'primary', disabled: true }, t('book'));

  async function load() {
    chosen = undefined;
    book.disabled = true;
    try {
      const s = await api.request<{ released: boolean; opensAt: string; items: Array<{ start: string; remaining: number }> }>('GET', `/v1/enrolment-sites/${site.id}/slots?date=${day.value}`);
      const free = s.items.filter((x) => x.remaining > 0);
      if (!s.released) return fill(slotsBox, h('p', {}, t('notYet', { when: when(s.opensAt) })));
      if (free.length === 0) return fill(slotsBox, h('p', {}, site.nextFreeSlot ? t('none', { when: when(site.nextFreeSlot.start) }) : t('nextRelease', { when: when(site.nextRelease.at) })));
      fill(
        slotsBox,
        ...free.map((x) => {
          const b = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => {
            slotsBox.querySelectorAll('button').forEach((other) => other.setAttribute('aria-pressed', 'false'));
            b.setAttribute('aria-pressed', 'true');
            chosen = x.start;
            book.disabled = false;
          } }, `${x.start.slice(11, 16)} · ${t('places', { n: x.remaining })}`);
          return b;
        }),
      );
    } catch (e) {
      fill(slotsBox, h('p', { class: 'error' }, say(e)));
    }
  }
  day.addEventListener('change', () => void load());
  book.addEventListener('click', async () => {
    if (!chosen) return;
    book.disabled = true;
    try {
      const b = await api.request<Booked>('POST', '/v1/appointments', { json: { siteId: site.id, start: chosen, language: lang, ...(reminders && contact.value ? { contact: contact.value } : {}) } });
      render(async () => doneView(b));
    } catch (e) {
      message.textContent = e instanceof ApiError && e.code === 'slot-full' ? t('full') : say(e);
      announce(status, message.textContent);
      await load();
    }
  });
  fill(
    main,
    h('h1', {}, site.name),
    h('p', {}, site.address),
    field(t('day'), day),
    h('h2', {}, t('times')),
    slotsBox,
    // Without a configured sender, no contact is asked at all.
    reminders ? field(t('contact'), contact, { optional: t('optional'), hint: t('contactHint') }) : null,
    message,
    h('p', {}, book, ' ', h('button', { type: 'button', onclick: () => render(sitesView) }, t('back'))),
  );
  await load();
}

function doneView(b: Booked) {
  const pin = b.pin;
  fill(
    main,
    h(
      'section',
      { class: b.status === 'confirmed' ? 'done' : 'notice' },
      h('h1', {}, b.status === 'confirmed' ? t('booked') : b.status === 'pending' ? t('pending') : t('unplaced')),
      b.status === 'pending' && b.drawAt ? h('p', {}, t('pendingText', { when: when(b.drawAt) })) : null,
      h('p', {}, `${t('reference')}: `, h('span', { class: 'code', 'data-testid': 'reference' }, b.reference)),
      pin ? h('p', {}, `${t('pin')}: `, h('span', { class: 'code', 'data-testid': 'pin' }, pin)) : null,
      pin ? h('p', {}, t('keep')) : null,
      h('p', {}, `${t('when')}: ${when(b.start)}`),
      h('p', {}, `${t('where')}: ${b.site.name}, ${b.site.address}`),
      b.status === 'confirmed' && pin
        ? h('button', { type: 'button', onclick: async () => saveBlob(await api.request<Blob>('GET', `/v1/appointments/${b.reference}/calendar.ics`, { headers: { 'appointment-pin': pin }, as: 'blob' }), 'appointment.ics') }, t('calendar'))
        : null,
    ),
    h('h2', {}, t('bring')),
    h('p', {}, t('points', { identity: b.requirements.identityPoints, residency: b.requirements.residencyPoints })),
    h('ul', { class: 'docs' }, ...b.bring.map((d) => h('li', {}, t('docPoints', { label: d.label, identity: d.identityPoints, residency: d.residencyPoints })))),
    h('p', {}, h('button', { type: 'button', onclick: () => render(sitesView) }, t('back'))),
  );
  return Promise.resolve();
}

function manageForm(): HTMLElement {
  const ref = h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
  const pin = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: '6' });
  const out = h('div', {});
  const reference = () => ref.value.trim().toUpperCase();
  const show = async () => {
    try {
      const b = await api.request<Booked>('GET', `/v1/appointments/${reference()}`, { headers: { 'appointment-pin': pin.value.trim() } });
      const cancel = h('button', { type: 'button', onclick: async () => {
        await api.request('DELETE', `/v1/appointments/${b.reference}`, { headers: { 'appointment-pin': pin.value.trim() } });
        fill(out, h('p', { role: 'status' }, t('cancelled')));
      } }, t('cancel'));
      fill(out, h('p', {}, `${b.status === 'pending' ? t('pending') : b.status === 'unplaced' ? t('unplaced') : t('booked')} — ${when(b.start)}, ${b.site.name}`), cancel);
    } catch (e) {
      fill(out, h('p', { class: 'error', role: 'alert' }, say(e)));
    }
  };
  return h('section', {}, h('h2', {}, t('manage')), field(t('reference'), ref), field(t('pin'), pin), h('button', { type: 'button', onclick: () => void show() }, t('show')), out);
}

document.body.append(h('a', { class: 'skip', href: '#main' }, '↓'), header, main, status);
render(sitesView);
