/** The portal's strings (src/i18n/locales/<lang>/portal.json), bundled for all five languages. */
import en from '../../i18n/locales/en/portal.json' with { type: 'json' };
import fr from '../../i18n/locales/fr/portal.json' with { type: 'json' };
import es from '../../i18n/locales/es/portal.json' with { type: 'json' };
import pt from '../../i18n/locales/pt/portal.json' with { type: 'json' };
import ar from '../../i18n/locales/ar/portal.json' with { type: 'json' };
import { translator, type Lang, type Translate } from '../shared/i18n.js';

export type Key = keyof typeof en;
export type T = Translate<Key>;
const TABLES: Record<Lang, Record<Key, string>> = { en, fr, es, pt, ar };

export const portalTranslator = (lang: Lang): T => translator(TABLES, lang);
