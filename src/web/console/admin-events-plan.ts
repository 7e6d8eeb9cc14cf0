/** Organisers: editions with their planning timeline (what is late stands out), and the spaces events use. */
import { field, h } from '../shared/dom.js';
import { formatDate } from '../shared/i18n.js';
import type { Ctx } from './context.js';
import type { ET, EventsKey } from './admin-events-strings.js';

export interface Edition {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  milestones: Array<{ key: string; dueOn: string; owner: string | null; status: string; late: boolean }>;
}
export interface Space {
  id: string;
  name: string;
  kind: string;
  address: string;
  capacity: number | null;
  languages: string[];
  accessibility: string[];
  contact: string | null;
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function editionsSection(ctx: Ctx, et: ET, editions: Edition[], reload: () => Promise<void>): HTMLElement {
  const msg = h('p', { role: 'status' });
  const timeline = (e: Edition) => {
    const late = e.milestones.filter((m) => m.late).length;
    return h(
      'div',
      { class: 'edition', 'data-edition': e.id },
      h('h3', {}, e.name, ' — ', formatDate(ctx.lang, e.startsOn), ' → ', formatDate(ctx.lang, e.endsOn), late ? h('strong', { class: 'late-count' }, ` · ${et('lateCount', { n: late })}`) : null),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          {},
          h('caption', { class: 'visually-hidden' }, e.name),
          h('thead', {}, h('tr', {}, ...(['editions', 'due', 'owner', 'status', 'save'] as EventsKey[]).map((k) => h('th', { scope: 'col' }, k === 'editions' ? '' : et(k))))),
          h(
            'tbody',
            {},
            ...e.milestones.map((m) => {
              const owner = h('input', { type: 'text', value: m.owner ?? '', id: `owner-${e.id}-${m.key}`, maxlength: 200 });
              const status = h('select', { id: `status-${e.id}-${m.key}` }, ...['todo', 'in-progress', 'done'].map((s) => h('option', { value: s, ...(s === m.status ? { selected: true } : {}) }, et(`s.${s}` as EventsKey))));
              const label = et(`m.${m.key}` as EventsKey);
              return h(
                'tr',
                { class: m.late ? 'late' : '', 'data-milestone': m.key },
                h('th', { scope: 'row' }, label, m.late ? h('strong', { class: 'late-mark' }, ` (${et('late')})`) : null),
                h('td', {}, formatDate(ctx.lang, m.dueOn)),
                h('td', {}, h('label', { for: owner.id, class: 'visually-hidden' }, `${et('owner')} — ${label}`), owner),
                h('td', {}, h('label', { for: status.id, class: 'visually-hidden' }, `${et('status')} — ${label}`), status),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      onclick: async () => {
                        try {
                          await ctx.api.request('PATCH', `/v1/event-editions/${e.id}/milestones/${m.key}`, { json: { owner: owner.value.trim() || null, status: status.value } });
                          ctx.say(et('saved'));
                          await reload();
                        } catch (err) {
                          msg.textContent = ctx.problem(err);
                        }
                      },
                    },
                    et('save'),
                    h('span', { class: 'visually-hidden' }, ` — ${label}`),
                  ),
                ),
              );
            }),
          ),
        ),
      ),
    );
  };
  const name = h('input', { type: 'text', required: true, maxlength: 200 });
  const startsOn = h('input', { type: 'date', required: true });
  const endsOn = h('input', { type: 'date', required: true });
  const form = h(
    'form',
    {
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          await ctx.api.request('POST', '/v1/event-editions', { json: { name: name.value.trim(), startsOn: startsOn.value, endsOn: endsOn.value } });
          name.value = startsOn.value = endsOn.value = '';
          await reload();
        } catch (err) {
          msg.textContent = ctx.problem(err);
        }
      },
    },
    h('h3', {}, et('newEdition')),
    h('div', { class: 'grid2' }, field(et('name'), name), field(et('startsOn'), startsOn), field(et('endsOn'), endsOn)),
    h('button', { type: 'submit' }, et('create')),
  );
  return h('section', { 'aria-labelledby': 'ev-editions-h' }, h('h2', { id: 'ev-editions-h' }, et('editions')), msg, ...(editions.length ? editions.map(timeline) : [h('p', {}, et('none'))]), form);
}

export function spacesSection(ctx: Ctx, et: ET, spaces: Space[], reload: () => Promise<void>): HTMLElement {
  const msg = h('p', { role: 'status' });
  const rows = spaces.map((s) =>
    h('tr', {}, h('td', {}, s.name), h('td', {}, et(`k.${s.kind}` as EventsKey)), h('td', {}, s.address), h('td', {}, s.capacity ?? ''), h('td', {}, s.languages.join(', ')), h('td', {}, s.accessibility.join(', ')), h('td', {}, s.contact ?? '')),
  );
  const name = h('input', { type: 'text', required: true, maxlength: 200 });
  const kind = h('select', {}, ...['public', 'solidarity'].map((k) => h('option', { value: k }, et(`k.${k}` as EventsKey))));
  const address = h('input', { type: 'text', required: true, maxlength: 400 });
  const capacity = h('input', { type: 'number', min: 1, max: 100000 });
  const languages = h('input', { type: 'text', dir: 'ltr' });
  const accessibility = h('input', { type: 'text' });
  const contact = h('input', { type: 'text', maxlength: 200 });
  const form = h(
    'form',
    {
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          await ctx.api.request('POST', '/v1/event-spaces', {
            json: {
              name: name.value.trim(),
              kind: kind.value,
              address: address.value.trim(),
              ...(capacity.value ? { capacity: Number(capacity.value) } : {}),
              languages: list(languages.value),
              accessibility: list(accessibility.value),
              ...(contact.value.trim() ? { contact: contact.value.trim() } : {}),
            },
          });
          for (const i of [name, address, capacity, languages, accessibility, contact]) i.value = '';
          await reload();
        } catch (err) {
          msg.textContent = ctx.problem(err);
        }
      },
    },
    h('h3', {}, et('newSpace')),
    h('div', { class: 'grid2' }, field(et('name'), name), field(et('kind'), kind), field(et('address'), address), field(et('capacity'), capacity), field(et('languages'), languages), field(et('accessibility'), accessibility), field(et('contact'), contact)),
    h('button', { type: 'submit' }, et('create')),
  );
  return h(
    'section',
    { 'aria-labelledby': 'ev-spaces-h' },
    h('h2', { id: 'ev-spaces-h' }, et('spaces')),
    msg,
    spaces.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h('table', {}, h('caption', { class: 'visually-hidden' }, et('spaces')), h('thead', {}, h('tr', {}, ...(['name', 'kind', 'address', 'capacity', 'languages', 'accessibility', 'contact'] as EventsKey[]).map((k) => h('th', { scope: 'col' }, et(k))))), h('tbody', {}, ...rows)),
        )
      : h('p', {}, et('none')),
    form,
  );
}
