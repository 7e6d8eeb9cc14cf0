/**
 * Find a resident by name (any of the four names) or card number. The query
 * goes in the request's query string to the API only; the page's own URL
 * never changes, so nothing lands in the history.
 */
import { field, fill, h } from '../shared/dom.js';
import { formatDate } from '../shared/i18n.js';
import type { View } from './context.js';

interface Hit {
  id: string;
  names: { printed: string; legal?: string; original?: string; transliteration?: string };
  birthDate: string | null;
}

const CARD_NUMBER = /^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{2}$/;

export const searchView: View = (root, ctx) => {
  const { t } = ctx;
  const q = h('input', { type: 'search', name: 'q', required: true, autocomplete: 'off', spellcheck: 'false' });
  const birth = h('input', { type: 'text', name: 'birthDate', inputmode: 'numeric', autocomplete: 'off', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', placeholder: 'YYYY-MM-DD' });
  const results = h('div', { 'aria-live': 'polite' });
  let next: string | null = null;
  let last: URLSearchParams | null = null;

  const table = h('table');
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true, onclick: () => run(true) }, t('search.more'));

  async function run(append: boolean) {
    const params = new URLSearchParams(append && last ? last : undefined);
    if (!append) {
      const text = q.value.trim();
      if (CARD_NUMBER.test(text)) params.set('card', text);
      else params.set('q', text);
      if (birth.value.trim()) params.set('birthDate', birth.value.trim());
      last = new URLSearchParams(params);
    } else if (next) params.set('after', next);
    try {
      const res = await ctx.api.request<{ items: Hit[]; next: string | null }>('GET', `/v1/residents?${params}`);
      next = res.next;
      if (!append) body.replaceChildren();
      for (const r of res.items) body.append(row(r));
      more.hidden = !next;
      if (!append) {
        fill(results, res.items.length ? table : h('p', {}, t('search.none')), more);
        ctx.say(t('search.count', { n: res.items.length }));
      }
    } catch (err) {
      fill(results, h('p', { class: 'error', role: 'alert' }, ctx.problem(err)));
    }
  }

  function row(r: Hit) {
    // The chosen (printed) name only: a legal name read out at a public desk can out a trans person. The record shows the rest.
    return h(
      'tr',
      {},
      h('td', {}, h('bdi', {}, r.names.printed)),
      h('td', {}, r.birthDate ? formatDate(ctx.lang, r.birthDate) : t('common.unknown')),
      h('td', {}, h('button', { type: 'button', onclick: () => ctx.show('resident', { id: r.id }) }, t('search.open'), h('span', { class: 'visually-hidden' }, ' ', h('bdi', {}, r.names.printed)))),
    );
  }

  table.append(h('caption', { class: 'visually-hidden' }, t('search.results')), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('field.printedName')), h('th', { scope: 'col' }, t('field.birthDate')), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('search.actions'))))), body);

  root.append(
    h('h1', {}, t('search.title')),
    h(
      'form',
      { role: 'search', onsubmit: (e: Event) => (e.preventDefault(), void run(false)) },
      h('div', { class: 'grid2' }, field(t('search.query'), q, { hint: t('search.queryHint') }), field(t('search.birthDate'), birth, { optional: t('common.optional'), hint: t('search.birthDateHint') })),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, t('search.submit')), h('button', { type: 'button', onclick: () => ctx.show('enrol') }, t('search.enrolNew'))),
    ),
    results,
  );
};
