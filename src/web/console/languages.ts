/**
 * "Languages spoken", picked from a list instead of typed as codes: each
 * language named in the clerk's language (Intl.DisplayNames) and in itself,
 * a filter box to find one among many, and the BCP 47 tags sent as before.
 * The order is fixed (not sorted by name), so a language switch that redraws
 * the form gives each tick back to the same box.
 */
import { h, nextId } from '../shared/dom.js';
import { languageName, type Lang } from '../shared/i18n.js';
import type { T } from './i18n.js';

/**
 * The service's five languages first, then those most often spoken by people arriving in European cities.
 * Fula (ff) and Tamazight (tzm, zgh, kab) are missing: Chromium's ICU has no names for them (a table of our own could add them).
 */
export const SPOKEN = [
  'ar', 'fr', 'es', 'pt', 'en', 'am', 'bm', 'bn', 'de', 'fa', 'prs', 'ha', 'ht', 'hi', 'hy', 'ig', 'it', 'ka', 'ku', 'ckb', 'ln', 'my',
  'ne', 'om', 'pa', 'pl', 'ps', 'qu', 'ro', 'ru', 'rw', 'so', 'sq', 'sr', 'sw', 'ta', 'ti', 'tr', 'uk', 'ur', 'uz', 'vi', 'wo', 'yo', 'zh',
] as const;

export function spokenLanguages(t: T, lang: Lang, chosen: readonly string[] = []) {
  const filter = h('input', { type: 'search', autocomplete: 'off', spellcheck: 'false', 'aria-controls': '' });
  const listId = nextId('langs');
  filter.setAttribute('aria-controls', listId);
  const tags = [...SPOKEN, ...chosen.filter((c) => !(SPOKEN as readonly string[]).includes(c))];
  // The order the person gave them in (a record's, then each new tick at the end), not the list's.
  let order = [...chosen];
  const item = (tag: string) => {
    const box = h('input', { type: 'checkbox', name: 'languages', value: tag, id: `${listId}-${tag}`, checked: chosen.includes(tag) });
    box.addEventListener('change', () => (order = box.checked ? [...order.filter((x) => x !== tag), tag] : order.filter((x) => x !== tag)));
    const own = languageName(tag as Lang, tag);
    const here = languageName(lang, tag);
    const label = h('label', { for: box.id }, here, own !== here ? h('span', { class: 'hint', lang: tag, dir: 'auto' }, ` — ${own}`) : null);
    return { tag, words: `${here} ${own} ${tag}`.toLocaleLowerCase(lang), el: h('div', { class: 'check' }, box, label), box };
  };
  const items = tags.map(item);
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLocaleLowerCase(lang);
    for (const i of items) i.el.hidden = q !== '' && !i.words.includes(q) && !i.box.checked;
  });
  const filterId = nextId('langs-filter');
  filter.id = filterId;
  const element = h(
    'fieldset',
    { class: 'spoken' },
    h('legend', {}, t('field.languages'), h('span', { class: 'opt' }, ` (${t('common.optional')})`)),
    h('p', { class: 'hint' }, t('enrol.languagesHint')),
    h('div', { class: 'field' }, h('label', { for: filterId }, t('enrol.languagesFilter')), filter),
    h('div', { id: listId, class: 'spoken-list' }, ...items.map((i) => i.el)),
  );
  const list = element.querySelector<HTMLElement>('.spoken-list')!;
  /** Ticks exactly `chosen` (a record to edit); a language not in the list gets its own box at the end. */
  function set(chosen: readonly string[]) {
    for (const tag of chosen) {
      if (items.some((i) => i.tag === tag)) continue;
      const extra = item(tag);
      items.push(extra);
      list.append(extra.el);
    }
    for (const i of items) i.box.checked = chosen.includes(i.tag);
    order = [...chosen];
  }
  const selected = () => {
    const ticked = items.filter((i) => i.box.checked).map((i) => i.tag);
    // A box ticked without a change event (a form restored after a language switch) goes at the end.
    return [...order.filter((t) => ticked.includes(t)), ...ticked.filter((t) => !order.includes(t))];
  };
  return { element, set, selected };
}
