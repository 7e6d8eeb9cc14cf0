/**
 * Language choice and a tiny `{{name}}` translator for the console and the
 * portal. Each page bundles its own namespace (src/i18n/locales/<lang>/
 * console.json or portal.json) in the five languages: one request fewer than
 * fetching them, and a few kB after compression. The choice lives in memory
 * only: a stored language would tell the next user of a shared phone
 * something about the last one.
 */
export const LANGS = ['en', 'fr', 'es', 'pt', 'ar'] as const;
export type Lang = (typeof LANGS)[number];

/** Each language named in itself, so anyone finds theirs. */
export const NATIVE_NAMES: Record<Lang, string> = { en: 'English', fr: 'Français', es: 'Español', pt: 'Português', ar: 'العربية' };

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);
export const isRtl = (lang: Lang) => lang === 'ar';

/** The first of the browser's languages that we speak, else English. */
export function pickLanguage(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

export type Vars = Record<string, string | number>;
export type Translate<K extends string> = (key: K, vars?: Vars) => string;

/**
 * A translator over one language's table, falling back to English for a
 * missing key. A numeric `n` (or `count`) picks the plural form the way
 * i18next does (JSON v4): `key_zero`, `key_one`, `key_two`, `key_few`,
 * `key_many`, `key_other` by `Intl.PluralRules` of the language (Arabic has
 * all six), then the bare key. So the locale files stay i18next files.
 * @example t('search.count', { n: 1 }) // "1 record" from 'search.count_one'
 */
export function translator<K extends string>(tables: Record<Lang, Record<K, string>>, lang: Lang): Translate<K> {
  const table = tables[lang] as Record<string, string>;
  const en = tables.en as Record<string, string>;
  const rules = new Intl.PluralRules(lang);
  const enRules = new Intl.PluralRules('en');
  return (key, vars) => {
    const n = typeof vars?.n === 'number' ? vars.n : typeof vars?.count === 'number' ? vars.count : undefined;
    const form = (t: Record<string, string>, r: Intl.PluralRules) => (n === undefined ? undefined : (t[`${key}_${n === 0 && t[`${key}_zero`] ? 'zero' : r.select(n)}`]));
    const text = form(table, rules) ?? table[key] ?? form(en, enRules) ?? en[key] ?? key;
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars?.[name] ?? ''));
  };
}

/** Items joined as people of `lang` join them ("a, b and c", "a، b و c"). */
export function formatList(lang: Lang, items: readonly string[]): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}

/** A language tag (`ar`, `ti`, `prs`) named in `lang` ("arabe", "tigrinya"), or the tag when the browser has no name for it. */
export function languageName(lang: Lang, tag: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** A document type in words, from the city's labels: the page's language, else English, else the type. */
export function documentLabel(labels: Record<string, string> | undefined, lang: Lang, type: string): string {
  return labels?.[lang] ?? labels?.en ?? type;
}

/** Sets `lang` and `dir` on <html>: the whole layout mirrors for Arabic through logical CSS properties. */
export function applyLanguage(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = isRtl(lang) ? 'rtl' : 'ltr';
}

// Latin digits everywhere: the card prints its dates and numbers that way, and people compare the two.
const locale = (lang: Lang) => `${lang}-u-nu-latn`;

/** A calendar date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`) as people of `lang` write it. */
export function formatDate(lang: Lang, iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (m === undefined || Number.isNaN(m)) return String(y);
  const date = new Date(Date.UTC(y!, m - 1, d ?? 1));
  const opts: Intl.DateTimeFormatOptions = d === undefined ? { year: 'numeric', month: 'long' } : { dateStyle: 'long' };
  return new Intl.DateTimeFormat(locale(lang), { ...opts, timeZone: 'UTC' }).format(date);
}

/** An instant, to the minute, in the device's zone. */
export function formatInstant(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A language picker: a labelled <select> listing each language in itself. */
export function languageSelect(current: Lang, label: string, onChange: (lang: Lang) => void): HTMLElement {
  const id = 'lang-picker';
  const select = document.createElement('select');
  select.id = id;
  for (const l of LANGS) {
    const o = document.createElement('option');
    o.value = l;
    o.lang = l;
    o.textContent = NATIVE_NAMES[l];
    if (l === current) o.selected = true;
    select.append(o);
  }
  select.addEventListener('change', () => isLang(select.value) && onChange(select.value));
  const lab = document.createElement('label');
  lab.htmlFor = id;
  lab.textContent = label;
  const wrap = document.createElement('div');
  wrap.className = 'lang';
  wrap.append(lab, select);
  return wrap;
}
