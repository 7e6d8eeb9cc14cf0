/**
 * The city's texts for the road panel, data in templates/road/: one file per
 * language (title, labels, a few lines of rights) and help-lines.json (the
 * city's and a humanitarian help line, per city under `cities`). Read once,
 * checked, so a broken file stops the first print with a message naming it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, type Language } from '../i18n/languages.js';
import { fromRoot } from '../paths.js';
import type { RoadTexts, RoadView } from './road-panel.js';

export const ROAD_DIR = fromRoot('templates', 'road');

export interface RoadData {
  /** The view for one card: the holder's language, then the city's. */
  view(road: { emergencyContact?: { name?: string; phone: string }; rightsPanel: boolean }, holder: Language, official: Language): RoadView;
}

function texts(dir: string, lang: Language): RoadTexts {
  const file = join(dir, `${lang}.json`);
  const t = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const k of ['title', 'emergencyContact', 'cityHelpLine', 'humanitarianHelpLine'] as const) {
    if (typeof t[k] !== 'string' || (t[k] as string).length === 0 || (t[k] as string).length > 120) throw new Error(`${file}: ${k} must be a text of 1-120 characters`);
  }
  if (!Array.isArray(t.rights) || t.rights.length > 6 || !t.rights.every((r) => typeof r === 'string' && r.length > 0 && r.length <= 200)) throw new Error(`${file}: rights must be at most 6 lines of 1-200 characters`);
  return { title: t.title as string, emergencyContact: t.emergencyContact as string, cityHelpLine: t.cityHelpLine as string, humanitarianHelpLine: t.humanitarianHelpLine as string, rights: t.rights as string[] };
}

/** @example loadRoadData('fr-strasbourg').view({ rightsPanel: true }, 'ar', 'fr') */
export function loadRoadData(cityId: string, dir = ROAD_DIR): RoadData {
  const all = new Map(LANGUAGES.map((l) => [l, texts(dir, l)]));
  const doc = JSON.parse(readFileSync(join(dir, 'help-lines.json'), 'utf8')) as { default?: Record<string, string>; cities?: Record<string, Record<string, string>> };
  const merged = { ...doc.default, ...doc.cities?.[cityId] };
  const lines = { cityHelpLine: String(merged.cityHelpLine ?? ''), humanitarianHelpLine: String(merged.humanitarianHelpLine ?? '') };
  for (const [k, v] of Object.entries(lines)) if (!/^\+?[0-9][0-9 ().-]{2,29}$/.test(v)) throw new Error(`${join(dir, 'help-lines.json')}: ${k} must be a phone number`);
  return {
    view(road, holder, official) {
      const langs = holder === official ? [holder] : [holder, official];
      return { ...road, texts: langs.map((l) => all.get(l)!), lines };
    },
  };
}
