/** The console's strings (src/i18n/locales/<lang>/console.json), bundled for all five languages. */
import en from '../../i18n/locales/en/console.json' with { type: 'json' };
import fr from '../../i18n/locales/fr/console.json' with { type: 'json' };
import es from '../../i18n/locales/es/console.json' with { type: 'json' };
import pt from '../../i18n/locales/pt/console.json' with { type: 'json' };
import ar from '../../i18n/locales/ar/console.json' with { type: 'json' };
import { translator, type Lang, type Translate } from '../shared/i18n.js';

export type Key = keyof typeof en;
export type T = Translate<Key>;
const TABLES: Record<Lang, Record<Key, string>> = { en, fr, es, pt, ar };

export const consoleTranslator = (lang: Lang): T => translator(TABLES, lang);
