/**
 * The organisers' Welcoming Week screen: editions and their timeline (what is
 * late), spaces (admin-events-plan.ts), the programme with each event's
 * counts, the lottery draw and the door code, a new event, and partners'
 * proposals to publish. Counts only: nothing here names a resident.
 */
import { field, h } from '../shared/dom.js';
import { formatInstant, LANGS } from '../shared/i18n.js';
import type { View } from './context.js';
import { type EventsKey, eventsTranslator } from './admin-events-strings.js';
import { type Edition, type Space, editionsSection, spacesSection } from './admin-events-plan.js';

interface EventView {
  id: string;
  status: string;
  title: Record<string, string>;
  category: string;
  startsAt: string;
  endsAt: string;
  place: { name: string; address: string } | null;
  capacity: number | null;
  access: string;
  rsvp: string;
  drawAt: string | null;
  drawnAt: string | null;
  seed: string | null;
}
interface Counts {
  confirmed: number;
  waitlisted: number;
  entered: number;
  admitted: number;
  entries: number;
  purged: boolean;
}

const CATEGORIES = ['music', 'cooking', 'testimonies', 'history-of-migration', 'sport', 'children', 'language-exchange', 'card-holder-meeting', 'other'];

export const eventsView: View = async (root, ctx) => {
  const et = eventsTranslator(ctx.lang);
  const titleOf = (e: EventView) => e.title[ctx.lang] ?? e.title.en ?? '';
  const msg = h('p', { role: 'status', id: 'events-msg' });
  const body = h('div');
  root.append(h('h1', {}, et('title')), h('p', {}, et('intro')), msg, body);
  const say = (m: string) => {
    msg.textContent = m;
    ctx.say(m);
  };
  const act = (fn: () => Promise<unknown>) => async () => {
    try {
      await fn();
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  };

  async function eventRow(e: EventView, counts: Counts | undefined) {
    const countLine = counts ? (counts.purged ? et('purgedLine', { entries: counts.entries, places: counts.confirmed, admitted: counts.admitted }) : et('countsLine', { confirmed: counts.confirmed, waitlisted: counts.waitlisted, entered: counts.entered, admitted: counts.admitted })) : '';
    const drawDue = e.rsvp === 'lottery' && !e.drawnAt && e.drawAt !== null;
    return h(
      'tr',
      { 'data-event': e.id },
      h('th', { scope: 'row' }, titleOf(e), h('br'), h('small', {}, et(`c.${e.category}` as EventsKey))),
      h('td', {}, formatInstant(ctx.lang, e.startsAt)),
      h('td', {}, e.place?.name ?? ''),
      h('td', {}, et(`r.${e.rsvp}` as EventsKey), e.capacity ? ` (${e.capacity})` : '', h('br'), h('small', {}, et(`a.${e.access}` as EventsKey)), drawDue ? h('small', {}, h('br'), et('drawDue', { at: formatInstant(ctx.lang, e.drawAt!) })) : null),
      h('td', { class: 'counts' }, countLine),
      h(
        'td',
        {},
        h(
          'div',
          { class: 'row' },
          drawDue
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: act(async () => {
                    const r = await ctx.api.request<{ seed: string }>('POST', `/v1/events/${e.id}/draw`);
                    say(et('drawn', { seed: r.seed, id: e.id }));
                    await load(false);
                  }),
                },
                et('draw'),
                h('span', { class: 'visually-hidden' }, ` — ${titleOf(e)}`),
              )
            : null,
          h(
            'button',
            {
              type: 'button',
              onclick: act(async () => {
                const r = await ctx.api.request<{ code: string }>('POST', `/v1/events/${e.id}/door-code`);
                say(et('doorCodeShown', { event: titleOf(e), code: r.code }));
              }),
            },
            et('doorCode'),
            h('span', { class: 'visually-hidden' }, ` — ${titleOf(e)}`),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: act(async () => {
                await ctx.api.request('DELETE', `/v1/events/${e.id}`);
                say(et('removed'));
                await load(false);
              }),
            },
            et('remove'),
            h('span', { class: 'visually-hidden' }, ` — ${titleOf(e)}`),
          ),
        ),
      ),
    );
  }

  function newEventForm(spaces: Space[], editions: Edition[]) {
    const titles = LANGS.map((l) => h('input', { type: 'text', lang: l, dir: l === 'ar' ? 'rtl' : 'ltr', maxlength: 200, ...(l === 'en' ? { required: true } : {}) }));
    const category = h('select', {}, ...CATEGORIES.map((c) => h('option', { value: c }, et(`c.${c}` as EventsKey))));
    const starts = h('input', { type: 'datetime-local', required: true });
    const ends = h('input', { type: 'datetime-local', required: true });
    const space = h('select', {}, h('option', { value: '' }, et('noSpace')), ...spaces.map((s) => h('option', { value: s.id }, s.name)));
    const placeName = h('input', { type: 'text', maxlength: 200 });
    const address = h('input', { type: 'text', maxlength: 400 });
    const capacity = h('input', { type: 'number', min: 1, max: 100000 });
    const access = h('select', {}, ...['open', 'card-holders'].map((a) => h('option', { value: a }, et(`a.${a}` as EventsKey))));
    const rsvp = h('select', {}, ...['none', 'first-come', 'lottery'].map((r) => h('option', { value: r }, et(`r.${r}` as EventsKey))));
    const drawAt = h('input', { type: 'datetime-local' });
    const languages = h('input', { type: 'text', dir: 'ltr' });
    const edition = h('select', {}, h('option', { value: '' }, et('noEdition')), ...editions.map((e) => h('option', { value: e.id }, e.name)));
    // datetime-local has no zone: read in this computer's zone, sent as an instant with its offset.
    const instant = (v: string) => new Date(v).toISOString();
    return h(
      'form',
      {
        id: 'new-event',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const title = Object.fromEntries(LANGS.map((l, i) => [l, titles[i]!.value.trim()]).filter(([, v]) => v));
          try {
            await ctx.api.request('POST', '/v1/events', {
              json: {
                title,
                category: category.value,
                startsAt: instant(starts.value),
                endsAt: instant(ends.value),
                ...(space.value ? { spaceId: space.value } : { place: { name: placeName.value.trim(), address: address.value.trim() } }),
                ...(capacity.value ? { capacity: Number(capacity.value) } : {}),
                access: access.value,
                rsvp: rsvp.value,
                ...(rsvp.value === 'lottery' && drawAt.value ? { drawAt: instant(drawAt.value) } : {}),
                languages: languages.value.split(',').map((s) => s.trim()).filter(Boolean),
                ...(edition.value ? { editionId: edition.value } : {}),
              },
            });
            say(et('saved'));
            await load(false);
          } catch (err) {
            msg.textContent = ctx.problem(err);
          }
        },
      },
      h('h3', {}, et('newEvent')),
      h('div', { class: 'grid2' }, ...LANGS.map((l, i) => field(et('titleIn', { lang: l }), titles[i]!))),
      h(
        'div',
        { class: 'grid2' },
        field(et('category'), category),
        field(et('edition'), edition),
        field(et('starts'), starts, { hint: et('timesHint') }),
        field(et('ends'), ends),
        field(et('space'), space),
        field(et('placeName'), placeName),
        field(et('address'), address),
        field(et('capacity'), capacity),
        field(et('access'), access),
        field(et('rsvp'), rsvp),
        field(et('drawAt'), drawAt),
        field(et('languages'), languages),
      ),
      h('button', { type: 'submit', class: 'primary' }, et('create')),
    );
  }

  async function load(first: boolean) {
    try {
      const [editions, spaces, events, proposals] = await Promise.all([
        ctx.api.request<{ items: Edition[] }>('GET', '/v1/event-editions'),
        ctx.api.request<{ items: Space[] }>('GET', '/v1/event-spaces'),
        ctx.api.request<{ items: EventView[] }>('GET', '/v1/events'),
        ctx.api.request<{ items: EventView[] }>('GET', '/v1/event-proposals'),
      ]);
      const counts = await Promise.all(events.items.map((e) => (e.rsvp === 'none' && e.access === 'open' ? Promise.resolve(undefined) : ctx.api.request<Counts>('GET', `/v1/events/${e.id}/counts`))));
      const rows = await Promise.all(events.items.map((e, i) => eventRow(e, counts[i])));
      body.replaceChildren(
        editionsSection(ctx, et, editions.items, () => load(false)),
        spacesSection(ctx, et, spaces.items, () => load(false)),
        h(
          'section',
          { 'aria-labelledby': 'ev-events-h' },
          h('h2', { id: 'ev-events-h' }, et('events')),
          rows.length
            ? h(
                'div',
                { class: 'table-wrap' },
                h('table', { id: 'events-table' }, h('caption', { class: 'visually-hidden' }, et('events')), h('thead', {}, h('tr', {}, ...(['events', 'when', 'where', 'rsvp', 'counts', 'save'] as EventsKey[]).map((k) => h('th', { scope: 'col' }, k === 'save' ? '' : et(k))))), h('tbody', {}, ...rows)),
              )
            : h('p', {}, et('none')),
          newEventForm(spaces.items, editions.items),
        ),
        h(
          'section',
          { 'aria-labelledby': 'ev-proposals-h' },
          h('h2', { id: 'ev-proposals-h' }, et('proposals')),
          proposals.items.length
            ? h(
                'ul',
                {},
                ...proposals.items.map((p) =>
                  h(
                    'li',
                    { 'data-proposal': p.id },
                    `${titleOf(p)} — ${formatInstant(ctx.lang, p.startsAt)} `,
                    h(
                      'button',
                      {
                        type: 'button',
                        onclick: act(async () => {
                          await ctx.api.request('POST', `/v1/events/${p.id}/publish`);
                          say(et('published'));
                          await load(false);
                        }),
                      },
                      et('publish'),
                      h('span', { class: 'visually-hidden' }, ` — ${titleOf(p)}`),
                    ),
                  ),
                ),
              )
            : h('p', {}, et('noProposals')),
        ),
      );
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }
  await load(true);
};
