/**
 * What to bring to an enrolment appointment, from the city's evidence rules
 * (templates/rules/evidence-rules.json) in the booking's language: every
 * accepted document with its points, and the points needed.
 */
import type { EvidenceRules } from '../residents/city-rules.js';

export interface BringItem {
  type: string;
  label: string;
  identityPoints: number;
  residencyPoints: number;
}

export interface BringList {
  items: BringItem[];
  requirements: { identityPoints: number; residencyPoints: number; photoDocument: boolean };
}

export function documentsToBring(rules: EvidenceRules, language: string): BringList {
  return {
    items: rules.documents.map((d) => ({ type: d.type, label: d.label[language] ?? d.label.en!, identityPoints: d.identity, residencyPoints: d.residency })),
    requirements: { identityPoints: rules.requirements.identityPoints, residencyPoints: rules.requirements.residencyPoints, photoDocument: rules.requirements.photoDocument },
  };
}
