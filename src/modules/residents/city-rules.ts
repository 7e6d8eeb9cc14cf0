/**
 * Per-city rules, kept as data in templates/rules/ (city-rules.json and
 * evidence-rules.json): a `default` section, and optional overrides under
 * `cities.<CITY_ID>`. Loaded and checked once at start-up, so a malformed
 * rules file stops the service instead of refusing residents at random.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../../paths.js';

export const RULES_DIR = fromRoot('templates', 'rules');

export interface CityRules {
  version: string;
  /** Below this age (certainly), enrolment needs a guardian present. */
  minimumAgeAlone: number;
  /** Card gender markers this city allows, e.g. F, M, X. */
  genderMarkers: string[];
  /** Days a record is kept after its last card expired (or its last change, with no card). */
  retentionDaysAfterLastCard: number;
}

export interface DocumentRule {
  type: string;
  identity: number;
  residency: number;
  carriesPhoto: boolean;
  carriesBirthDate: boolean;
  label: Record<string, string>;
}

export interface EvidenceRules {
  version: string;
  requirements: {
    identityPoints: number;
    residencyPoints: number;
    photoDocument: boolean;
    birthDateDocumentWhenBirthDateGiven: boolean;
  };
  documents: DocumentRule[];
}

export interface ResidentRules {
  city: CityRules;
  evidence: EvidenceRules;
}

class RulesError extends Error {
  override readonly name = 'RulesError';
}

function section<T>(file: string, cityId: string): T {
  const raw = JSON.parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { default: T; cities?: Record<string, Partial<T>> };
  if (!raw.default) throw new RulesError(`${file}: no "default" section`);
  return { ...raw.default, ...(raw.cities?.[cityId] ?? {}) };
}

const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 1000;

export function checkCityRules(r: CityRules): CityRules {
  if (typeof r.version !== 'string' || !r.version) throw new RulesError('city rules: version is required');
  if (!isCount(r.minimumAgeAlone) || r.minimumAgeAlone > 25) throw new RulesError('city rules: minimumAgeAlone must be 0–25');
  if (!Array.isArray(r.genderMarkers) || r.genderMarkers.some((m) => typeof m !== 'string' || !/^[A-Z]{1,3}$/.test(m))) {
    throw new RulesError('city rules: genderMarkers must be short upper-case codes');
  }
  if (!isCount(r.retentionDaysAfterLastCard) || r.retentionDaysAfterLastCard < 1) throw new RulesError('city rules: retentionDaysAfterLastCard must be 1–1000');
  return r;
}

export function checkEvidenceRules(r: EvidenceRules): EvidenceRules {
  if (typeof r.version !== 'string' || !r.version) throw new RulesError('evidence rules: version is required');
  const q = r.requirements;
  if (!q || !isCount(q.identityPoints) || !isCount(q.residencyPoints)) throw new RulesError('evidence rules: requirements need identityPoints and residencyPoints');
  const seen = new Set<string>();
  for (const d of r.documents ?? []) {
    if (!/^[a-z][a-z0-9-]{1,40}$/.test(d.type) || seen.has(d.type)) throw new RulesError(`evidence rules: bad or repeated type "${d.type}"`);
    if (!isCount(d.identity) || !isCount(d.residency)) throw new RulesError(`evidence rules: ${d.type} needs whole identity and residency points`);
    if (!d.label?.en) throw new RulesError(`evidence rules: ${d.type} needs an English label`);
    seen.add(d.type);
  }
  if (seen.size === 0) throw new RulesError('evidence rules: no document types');
  return r;
}

/** The rules of one city, from the shipped files. */
export function loadResidentRules(cityId: string): ResidentRules {
  return {
    city: checkCityRules(section<CityRules>('city-rules.json', cityId)),
    evidence: checkEvidenceRules(section<EvidenceRules>('evidence-rules.json', cityId)),
  };
}
