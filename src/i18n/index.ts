/**
 * i18next, set up once per app: every namespace under locales/<lang>/<ns>.json
 * is loaded eagerly at start (they are small), so `t` never waits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../paths.js';
import i18next, { type i18n, type Resource, type TFunction } from 'i18next';
import { LANGUAGES, type Language } from './languages.js';

export * from './languages.js';

const localesDir = fromRoot('src', 'i18n', 'locales');

function loadResources(): Resource {
  const resources: Resource = {};
  for (const lng of LANGUAGES) {
    const dir = join(localesDir, lng);
    resources[lng] = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      resources[lng][file.slice(0, -5)] = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    }
  }
  return resources;
}

/** A new, initialised i18next instance (no global state). */
export async function createI18n(): Promise<i18n> {
  const instance = i18next.createInstance();
  const resources = loadResources();
  await instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources.en ?? {}),
    defaultNS: 'errors',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

export type Translator = TFunction;

/** A translator fixed to one language. */
export function translatorFor(instance: i18n, lng: Language): TFunction {
  return instance.getFixedT(lng);
}
