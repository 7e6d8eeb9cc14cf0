/**
 * Whether the documents a clerk saw meet the city's evidence rules
 * (templates/rules/evidence-rules.json). Only document TYPES are ever
 * recorded — never a number, never a copy (IDNYC stopped keeping copies in
 * 2016 so its records could not be turned against holders).
 */
import type { EvidenceRules } from './city-rules.js';

export type Requirement = 'identityPoints' | 'residencyPoints' | 'photoDocument' | 'birthDateDocument';

export interface UnmetRequirement {
  requirement: Requirement;
  required: number;
  provided: number;
}

export interface EvidenceCheck {
  met: boolean;
  identityPoints: number;
  residencyPoints: number;
  unmet: UnmetRequirement[];
}

/**
 * Scores a set of document types. A type seen twice counts once (two
 * utility bills prove no more than one). Unknown types must have been
 * refused before (they are field errors).
 */
export function checkEvidence(rules: EvidenceRules, types: readonly string[], opts: { birthDateGiven: boolean }): EvidenceCheck {
  const docs = [...new Set(types)].map((t) => rules.documents.find((d) => d.type === t)).filter((d) => d !== undefined);
  const identityPoints = docs.reduce((n, d) => n + d.identity, 0);
  const residencyPoints = docs.reduce((n, d) => n + d.residency, 0);
  const req = rules.requirements;
  const unmet: UnmetRequirement[] = [];
  if (identityPoints < req.identityPoints) unmet.push({ requirement: 'identityPoints', required: req.identityPoints, provided: identityPoints });
  if (residencyPoints < req.residencyPoints) unmet.push({ requirement: 'residencyPoints', required: req.residencyPoints, provided: residencyPoints });
  if (req.photoDocument && !docs.some((d) => d.carriesPhoto)) unmet.push({ requirement: 'photoDocument', required: 1, provided: 0 });
  if (req.birthDateDocumentWhenBirthDateGiven && opts.birthDateGiven && !docs.some((d) => d.carriesBirthDate)) {
    unmet.push({ requirement: 'birthDateDocument', required: 1, provided: 0 });
  }
  return { met: unmet.length === 0, identityPoints, residencyPoints, unmet };
}

export function isKnownType(rules: EvidenceRules, type: string): boolean {
  return rules.documents.some((d) => d.type === type);
}
