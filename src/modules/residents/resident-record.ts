/**
 * The resident record as the service sees it (decrypted), its input shape,
 * and the field-by-field validation of an enrolment or an edit. Returns
 * normalised values or throws one `validation-failed` naming every bad
 * field path (no value is ever echoed: error messages carry no personal data).
 */
import { AppError } from '../../errors/app-error.js';
import { isLanguage, type Language } from '../../i18n/languages.js';
import { birthDateProblem } from './birth-date.js';
import type { ResidentRules } from './city-rules.js';
import { isKnownType } from './evidence-rules.js';
import { checkName, checkText, FieldErrors } from './names.js';
import { cardNameErrors, nameTooLongForCard } from './card-budget.js';

export interface Names {
  printed: string;
  legal?: string;
  original?: string;
  transliteration?: string;
}

export interface Gender {
  selfDescribed?: string;
  pronouns?: string;
  /** One of the city's card markers; printed only when `printMarker`. */
  marker?: string;
  printMarker: boolean;
}

export type Address =
  | { line1: string; line2?: string; postalCode?: string; locality: string }
  | { noFixedAddress: true; careOf?: string };

export interface EvidenceItem {
  type: string;
  /** Staff id of the clerk who saw the document. */
  seenBy: string | null;
  seenAt: string;
}

/**
 * For the road (issue 19): someone to call, printed on the card's back only
 * when `print`; never in the QR code. Sealed with the rest of the record.
 */
export interface EmergencyContact {
  name?: string;
  /** As the holder gives it, international form advised (`+33 6 12 34 56 78`). */
  phone: string;
  print: boolean;
}

/** Everything personal about a resident, as decrypted. */
export interface ResidentData {
  names: Names;
  birthDate: string | null;
  gender: Gender;
  address: Address | null;
  addressConfidential: boolean;
  preferredLanguage: Language;
  languages: string[];
  guardianPresent: boolean;
  evidence: EvidenceItem[];
  /** Optional, the holder's choice (DESIGN.md "The resident record"). */
  emergencyContact?: EmergencyContact;
  /** Print the "rights and help" panel (templates/road/) on the card's back. */
  printRightsPanel?: boolean;
}

/** The fields of an enrolment request (DESIGN.md "The resident record"); nulls clear optional values. */
export interface ResidentInput {
  names: { printed: string; legal?: string | null; original?: string | null; transliteration?: string | null };
  birthDate?: string | null;
  gender?: { selfDescribed?: string | null; pronouns?: string | null; marker?: string | null; printMarker?: boolean } | null;
  address?: { line1?: string; line2?: string | null; postalCode?: string | null; locality?: string; noFixedAddress?: boolean; careOf?: string | null } | null;
  addressConfidential?: boolean;
  preferredLanguage: string;
  languages?: string[];
  evidence?: Array<{ type: string }>;
  guardianPresent?: boolean;
  emergencyContact?: { name?: string | null; phone: string; print?: boolean } | null;
  printRightsPanel?: boolean;
}

/** An edit: any field of the input; `names` merges member by member. */
export type ResidentPatch = Partial<Omit<ResidentInput, 'names'>> & { names?: Partial<ResidentInput['names']> };

export const TEXT_MAX = { selfDescribed: 100, pronouns: 50, line: 200, postalCode: 20, locality: 100, careOf: 200, contactName: 100, phone: 30 } as const;
/** A phone number as people write it: digits, spaces, dots, dashes, brackets, an optional leading +; 4 to 20 digits. */
export const PHONE = /^\+?[0-9][0-9 ().-]*$/;
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

export type ValidInput = Omit<ResidentData, 'evidence'> & { evidenceTypes: string[] | undefined };

/** Validates a whole record (after merging an edit) at `today`; throws `validation-failed` with every failing path. */
export function validateResident(input: ResidentInput, rules: ResidentRules, today: Date): ValidInput {
  const e = new FieldErrors();
  const optionalName = (v: string | null | undefined, path: string, latinOnly = false) =>
    v === undefined || v === null ? undefined : checkName(v, path, e, { latinOnly });

  const names: Names = { printed: checkName(input.names.printed, '/body/names/printed', e) ?? '' };
  const legal = optionalName(input.names.legal, '/body/names/legal');
  const original = optionalName(input.names.original, '/body/names/original');
  const transliteration = optionalName(input.names.transliteration, '/body/names/transliteration', true);
  if (legal) names.legal = legal;
  if (original) names.original = original;
  if (transliteration) names.transliteration = transliteration;

  const birthDate = input.birthDate ?? null;
  if (birthDate !== null) {
    const problem = birthDateProblem(birthDate, today);
    if (problem) e.add('/body/birthDate', problem);
  }

  const gender: Gender = { printMarker: input.gender?.printMarker ?? false };
  const g = input.gender ?? {};
  if (g.selfDescribed != null) {
    const v = checkText(g.selfDescribed, '/body/gender/selfDescribed', TEXT_MAX.selfDescribed, e);
    if (v) gender.selfDescribed = v;
  }
  if (g.pronouns != null) {
    const v = checkText(g.pronouns, '/body/gender/pronouns', TEXT_MAX.pronouns, e);
    if (v) gender.pronouns = v;
  }
  if (g.marker != null) {
    if (!rules.city.genderMarkers.includes(g.marker)) e.add('/body/gender/marker', `must be one of ${rules.city.genderMarkers.join(', ')}`);
    else gender.marker = g.marker;
  }
  if (gender.printMarker && g.marker == null) e.add('/body/gender/printMarker', 'needs a marker to print');

  let address: Address | null = null;
  const a = input.address;
  if (a) {
    const text = (v: string | null | undefined, key: keyof typeof a, max: number) => (v == null ? undefined : checkText(v, `/body/address/${key}`, max, e));
    if (a.noFixedAddress === true) {
      for (const k of ['line1', 'line2', 'postalCode', 'locality'] as const) if (a[k] != null) e.add(`/body/address/${k}`, 'must be absent with noFixedAddress');
      const careOf = text(a.careOf, 'careOf', TEXT_MAX.careOf);
      address = careOf ? { noFixedAddress: true, careOf } : { noFixedAddress: true };
    } else {
      if (a.careOf != null) e.add('/body/address/careOf', 'is only for noFixedAddress');
      if (a.noFixedAddress === false && a.line1 == null && a.locality == null) e.add('/body/address/noFixedAddress', 'false needs an address');
      if (a.line1 == null) e.add('/body/address/line1', 'is required (or set noFixedAddress)');
      if (a.locality == null) e.add('/body/address/locality', 'is required (or set noFixedAddress)');
      const line1 = text(a.line1, 'line1', TEXT_MAX.line);
      const line2 = text(a.line2, 'line2', TEXT_MAX.line);
      const postalCode = text(a.postalCode, 'postalCode', TEXT_MAX.postalCode);
      const locality = text(a.locality, 'locality', TEXT_MAX.locality);
      if (postalCode !== undefined && !/^[\p{L}\p{Nd}][\p{L}\p{Nd} -]*$/u.test(postalCode)) e.add('/body/address/postalCode', 'may hold letters, digits, spaces and hyphens only');
      address = { line1: line1 ?? '', locality: locality ?? '', ...(line2 ? { line2 } : {}), ...(postalCode ? { postalCode } : {}) };
    }
  }
  const addressConfidential = input.addressConfidential ?? false;
  if (addressConfidential && !address) e.add('/body/addressConfidential', 'needs an address to keep confidential');

  if (!isLanguage(input.preferredLanguage)) e.add('/body/preferredLanguage', 'must be one of en, fr, es, pt, ar');
  const languages: string[] = [];
  (input.languages ?? []).forEach((tag, i) => {
    if (!LANGUAGE_TAG.test(tag)) return e.add(`/body/languages/${i}`, 'must be a language tag like "ar" or "pt-BR"');
    const [primary, ...rest] = tag.split('-');
    const canonical = [primary!.toLowerCase(), ...rest].join('-');
    if (languages.includes(canonical)) return e.add(`/body/languages/${i}`, 'is repeated');
    languages.push(canonical);
  });

  let evidenceTypes: string[] | undefined;
  if (input.evidence) {
    evidenceTypes = [];
    input.evidence.forEach((item, i) => {
      if (!isKnownType(rules.evidence, item.type)) return e.add(`/body/evidence/${i}/type`, 'is not a document type of this city (see GET /v1/evidence-rules)');
      if (evidenceTypes!.includes(item.type)) return e.add(`/body/evidence/${i}/type`, 'is repeated');
      evidenceTypes!.push(item.type);
    });
  }

  let emergencyContact: EmergencyContact | undefined;
  const ec = input.emergencyContact;
  if (ec) {
    const phone = checkText(ec.phone, '/body/emergencyContact/phone', TEXT_MAX.phone, e);
    const digits = (phone ?? '').replace(/\D/g, '').length;
    if (phone !== undefined && (!PHONE.test(phone) || digits < 4 || digits > 20)) e.add('/body/emergencyContact/phone', 'must be a phone number (digits, spaces, . - ( ), an optional leading +)');
    const name = ec.name == null ? undefined : checkText(ec.name, '/body/emergencyContact/name', TEXT_MAX.contactName, e);
    emergencyContact = { phone: phone ?? '', print: ec.print ?? false, ...(name ? { name } : {}) };
  }

  // Checked last, and reported on its own when it is the only fault: the
  // clerk can then shorten the name (or move it to the legal name, which is
  // not printed) knowing exactly what the card holds.
  const tooLong = cardNameErrors(names, '/body/names');
  if (!e.empty) throw new AppError('validation-failed', { detail: 'The request has invalid fields.', errors: [...e.list, ...tooLong] });
  if (tooLong.length > 0) throw nameTooLongForCard(tooLong);
  return {
    names,
    birthDate,
    gender,
    address,
    addressConfidential,
    preferredLanguage: input.preferredLanguage as Language,
    languages,
    guardianPresent: input.guardianPresent ?? false,
    evidenceTypes,
    ...(emergencyContact ? { emergencyContact } : {}),
    ...(input.printRightsPanel ? { printRightsPanel: true } : {}),
  };
}

/** The stored record as an input, so an edit can be merged into it and validated whole. */
export function toInput(d: ResidentData): ResidentInput {
  return {
    names: { ...d.names },
    birthDate: d.birthDate,
    gender: { ...d.gender },
    address: d.address ? { ...d.address } : null,
    addressConfidential: d.addressConfidential,
    preferredLanguage: d.preferredLanguage,
    languages: [...d.languages],
    guardianPresent: d.guardianPresent,
    ...(d.emergencyContact ? { emergencyContact: { ...d.emergencyContact } } : {}),
    ...(d.printRightsPanel ? { printRightsPanel: true } : {}),
  };
}

const merge = <T extends object>(base: T | null | undefined, patch: Partial<Record<keyof T, unknown>>): T => {
  const out: Record<string, unknown> = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return out as T;
};

/**
 * Applies an edit in the manner of JSON Merge Patch (RFC 7396): members
 * present replace, `null` removes; `names` and `gender` merge member by
 * member; `address` and `evidence` are replaced whole.
 */
export function mergePatch(current: ResidentInput, patch: ResidentPatch): ResidentInput {
  const next: ResidentInput = { ...current };
  if (patch.names) next.names = merge(current.names, patch.names);
  if ('gender' in patch) next.gender = patch.gender === null ? null : merge(current.gender, patch.gender ?? {});
  for (const k of ['birthDate', 'address', 'addressConfidential', 'preferredLanguage', 'languages', 'evidence', 'guardianPresent', 'emergencyContact', 'printRightsPanel'] as const) {
    if (k in patch && patch[k] !== undefined) (next as unknown as Record<string, unknown>)[k] = patch[k];
  }
  if (patch.address === null && !('addressConfidential' in patch)) next.addressConfidential = false;
  return next;
}
