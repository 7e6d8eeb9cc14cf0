/**
 * The console's strings (src/i18n/locales/<lang>/console.json, and
 * console-edit.json for the record edit form and passwords), bundled for all
 * five languages.
 */
import en from '../../i18n/locales/en/console.json' with { type: 'json' };
import fr from '../../i18n/locales/fr/console.json' with { type: 'json' };
import es from '../../i18n/locales/es/console.json' with { type: 'json' };
import pt from '../../i18n/locales/pt/console.json' with { type: 'json' };
import ar from '../../i18n/locales/ar/console.json' with { type: 'json' };
import enEdit from '../../i18n/locales/en/console-edit.json' with { type: 'json' };
import frEdit from '../../i18n/locales/fr/console-edit.json' with { type: 'json' };
import esEdit from '../../i18n/locales/es/console-edit.json' with { type: 'json' };
import ptEdit from '../../i18n/locales/pt/console-edit.json' with { type: 'json' };
import arEdit from '../../i18n/locales/ar/console-edit.json' with { type: 'json' };
import { translator, type Lang, type Translate } from '../shared/i18n.js';

export type Key = keyof typeof en | keyof typeof enEdit;
export type T = Translate<Key>;
const TABLES: Record<Lang, Record<Key, string>> = {
  en: { ...en, ...enEdit },
  fr: { ...fr, ...frEdit },
  es: { ...es, ...esEdit },
  pt: { ...pt, ...ptEdit },
  ar: { ...ar, ...arEdit },
};

export const consoleTranslator = (lang: Lang): T => translator(TABLES, lang);

/** The ids under a key prefix (`auditAction.` → `card.issue`, …): every action the console has words for. */
export const keysUnder = (prefix: string): string[] => Object.keys(en).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
