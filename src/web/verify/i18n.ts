/**
 * The page's strings (src/i18n/locales/<lang>/verifier.json, bundled at build
 * time) and the language choice. A tiny `{{name}}` interpolation instead of
 * i18next keeps ~40 kB out of the bundle; plural and date forms come from Intl.
 */
import en from '../../i18n/locales/en/verifier.json' with { type: 'json' };
import fr from '../../i18n/locales/fr/verifier.json' with { type: 'json' };
import es from '../../i18n/locales/es/verifier.json' with { type: 'json' };
import pt from '../../i18n/locales/pt/verifier.json' with { type: 'json' };
import ar from '../../i18n/locales/ar/verifier.json' with { type: 'json' };

export type Key = keyof typeof en;
export const LANGS = ['en', 'fr', 'es', 'pt', 'ar'] as const;
export type Lang = (typeof LANGS)[number];

/** Each language named in itself, so anyone finds theirs in the menu. */
export const NATIVE_NAMES: Record<Lang, string> = { en: 'English', fr: 'Français', es: 'Español', pt: 'Português', ar: 'العربية' };

const STRINGS: Record<Lang, Record<Key, string>> = { en, fr, es, pt, ar };

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);
export const isRtl = (lang: Lang): boolean => lang === 'ar';

/** The saved choice, else the first of the browser's languages we speak, else English. */
export function pickLanguage(saved: string | null, preferred: readonly string[]): Lang {
  if (isLang(saved)) return saved;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

export type T = (key: Key, vars?: Record<string, string>) => string;

export function translator(lang: Lang): T {
  const table = STRINGS[lang];
  return (key, vars) => (table[key] ?? en[key]).replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars?.[name] ?? '');
}

// Latin digits in every language: the card prints its dates that way, and the
// person checking compares the two.
const locale = (lang: Lang) => `${lang}-u-nu-latn`;

/** A calendar date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`) as people of `lang` write it. */
export function formatDate(lang: Lang, iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (m === undefined) return String(y);
  const date = new Date(Date.UTC(y!, m - 1, d ?? 1));
  const opts: Intl.DateTimeFormatOptions = d === undefined ? { year: 'numeric', month: 'long' } : { dateStyle: 'long' };
  return new Intl.DateTimeFormat(locale(lang), { ...opts, timeZone: 'UTC' }).format(date);
}

/** An instant, to the minute, in the device's zone. */
export function formatInstant(lang: Lang, at: Date): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** "3 hours ago", "il y a 2 jours"… */
export function formatAgo(lang: Lang, seconds: number): string {
  const rtf = new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto' });
  const s = Math.max(0, Math.round(seconds));
  if (s < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (s < 2 * 86_400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86_400), 'day');
}
