/** The header every page shares: the page's name, the language picker, and sign-out when signed in. */
import { fill, h } from './dom.js';
import { languageSelect, type Lang } from './i18n.js';

export function fillHeader(
  header: HTMLElement,
  opts: { title: string; lang: Lang; languageLabel: string; onLanguage: (l: Lang) => void; signOut?: { label: string; onclick: () => void } },
): void {
  fill(
    header,
    h('p', { class: 'brand' }, opts.title),
    h(
      'div',
      { class: 'tools' },
      languageSelect(opts.lang, opts.languageLabel, opts.onLanguage),
      opts.signOut ? h('button', { type: 'button', onclick: opts.signOut.onclick }, opts.signOut.label) : null,
    ),
  );
}
