/**
 * The card's claims: the TypeScript shape callers use, and its CWT form
 * (DESIGN.md "Credential (v2)"): only what the card prints and what a verifier
 * needs — never an address, nationality, legal status, document number or
 * contact. Dates are the card's calendar days; on the wire they become
 * NumericDates bounding those days "anywhere on Earth" (README.md).
 */
import { type Claim169Identity } from './claim169.js';
import { type CwtClaims } from './cwt.js';
import { isValidCardNumber, normalizeCardNumber } from './card-number.js';
import { birthDateToWire, epochDayToIsoDate, isoDateToEpochDay } from './dates.js';
import { CredentialError } from './errors.js';

export interface CardClaims {
  /** Issuer URI (CWT `iss`): the city's public address, e.g. `https://id.strasbourg.eu`. */
  issuer: string;
  /** Card number (Claim 169 attribute 1): canonical, 10 characters, for our cards. */
  number: string;
  /** The name as printed (4). */
  name: string;
  /** The name in its original script, when the card prints it (19). */
  originalName?: string;
  /** ISO 639-3 language of `originalName`, when known (20). */
  originalNameLanguage?: string;
  /** `YYYY-MM-DD` (8), `YYYY-MM` or `YYYY` (75), or null when unknown (absent). */
  birthDate: string | null;
  /** Gender marker, only if the holder chose to print it: M, F, X (9), any other (76). */
  marker?: string;
  /** ISO 3166-1 alpha-2 of the issuing city (23). */
  country: string;
  /** ISO 639-3 language of the card (3). */
  language?: string;
  /** `YYYY-MM-DD`: the first day of validity. */
  issuedOn: string;
  /** `YYYY-MM-DD`; the card is valid through this whole day. */
  expiresOn: string;
  /** Index in the issuer's status list; -1 when the credential carries no status reference (another ecosystem's card). */
  statusIndex: number;
  /** The status list's URL (its `sub`); '' when there is no status reference. */
  statusUri: string;
}

/** Issuer ids (`fr-strasbourg`): lowercase letters, digits, '.', '_', '-'; 1–64 characters. */
export const ISSUER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const DAY = 86_400;
/** A day begins at UTC+14 and ends at UTC−12 (the dates are the issuing city's, whose zone a verifier does not know). */
export const DAY_STARTS_EARLY = 14 * 3600;
export const DAY_ENDS_LATE = 12 * 3600;
const GENDER_CODE: Readonly<Record<string, number>> = { M: 1, F: 2, X: 3 };
const GENDER_MARKER = ['', 'M', 'F', 'X'];
const MAX_TEXT_BYTES = 200;
// C0, DEL, C1, line/paragraph separators, bidi embedding controls: nothing
// that could hide or reorder text on a verifier's screen.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const ISO639_3 = /^[a-z]{3}$/;
const COUNTRY = /^[A-Z]{2,3}$/;
const MAX_STATUS_INDEX = 0xffffffff;

/** Languages of the card (ISO 639-1, as the service names them) → ISO 639-3 (Claim 169 attribute 3). */
export const ISO639_1_TO_3: Readonly<Record<string, string>> = { en: 'eng', fr: 'fra', es: 'spa', pt: 'por', ar: 'ara' };

function bad(why: string): never {
  throw new CredentialError('malformed', `claims: ${why}`);
}

/** UTF-8 length of a string, without encoding it (lone surrogates count 3, as TextEncoder writes U+FFFD). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Clean text: no control or bidi override character, no outer spaces, at most `max` UTF-8 bytes. */
export function isCleanText(s: unknown, max = MAX_TEXT_BYTES): s is string {
  return typeof s === 'string' && s.length > 0 && !CONTROL.test(s) && s.trim() === s && utf8Length(s) <= max;
}

function uri(s: unknown, what: string): string {
  if (typeof s !== 'string' || s.length > 512 || !/^https?:\/\/[^\s]+$/.test(s)) bad(`${what} is not an http(s) URI`);
  return s;
}

/** Checks a claim set for issuance; returns it unchanged. @throws CredentialError `malformed` */
function checkClaims(c: CardClaims): CardClaims {
  if (typeof c !== 'object' || c === null) bad('not an object');
  uri(c.issuer, 'issuer');
  uri(c.statusUri, 'statusUri');
  // Canonical form only (no 'O' for '0', no separators): one number, one byte string.
  if (typeof c.number !== 'string' || normalizeCardNumber(c.number) !== c.number || !isValidCardNumber(c.number)) bad('number');
  if (!isCleanText(c.name)) bad('name');
  if (c.originalName !== undefined && !isCleanText(c.originalName)) bad('originalName');
  if (c.originalNameLanguage !== undefined && (c.originalName === undefined || !ISO639_3.test(c.originalNameLanguage))) bad('originalNameLanguage');
  if (c.birthDate !== null && (typeof c.birthDate !== 'string' || birthDateToWire(c.birthDate) === null)) bad('birthDate');
  if (c.marker !== undefined && !isCleanText(c.marker, 16)) bad('marker');
  if (typeof c.country !== 'string' || !/^[A-Z]{2}$/.test(c.country)) bad('country');
  if (c.language !== undefined && !ISO639_3.test(c.language)) bad('language');
  const issued = isoDateToEpochDay(c.issuedOn);
  const expires = isoDateToEpochDay(c.expiresOn);
  if (issued === null) bad('issuedOn');
  if (expires === null) bad('expiresOn');
  if (expires < issued) bad('expiresOn before issuedOn');
  if (!Number.isInteger(c.statusIndex) || c.statusIndex < 0 || c.statusIndex > MAX_STATUS_INDEX) bad('statusIndex');
  return c;
}

/**
 * Claims → CWT claims: `iss`, `nbf` (the first day begins, UTC+14), `exp`
 * (the last day ends, UTC−12), `status`, and the Claim 169 identity.
 * @throws CredentialError `malformed` if a claim is invalid.
 * @example toCwtClaims({ issuer: 'https://id.strasbourg.eu', number: '7KQ4M2XD9R', name: 'Amina Haddad',
 *   birthDate: '1990-04', country: 'FR', issuedOn: '2025-01-02', expiresOn: '2030-01-01',
 *   statusIndex: 42, statusUri: 'https://id.strasbourg.eu/v1/status-list' })
 */
export function toCwtClaims(claims: CardClaims): CwtClaims {
  const c = checkClaims(claims);
  const identity: Claim169Identity = { id: c.number, fullName: c.name, countryOfIssuance: c.country };
  if (c.language !== undefined) identity.language = c.language;
  if (c.originalName !== undefined) identity.secondaryFullName = c.originalName;
  if (c.originalNameLanguage !== undefined) identity.secondaryLanguage = c.originalNameLanguage;
  const wire = c.birthDate === null ? null : String(birthDateToWire(c.birthDate));
  if (wire !== null && wire.length === 8) identity.dateOfBirth = wire;
  else if (wire !== null) identity.partialDateOfBirth = wire;
  if (c.marker !== undefined) {
    if (GENDER_CODE[c.marker] !== undefined) identity.gender = GENDER_CODE[c.marker];
    else identity.genderMarker = c.marker;
  }
  return {
    iss: c.issuer,
    nbf: isoDateToEpochDay(c.issuedOn)! * DAY - DAY_STARTS_EARLY,
    exp: (isoDateToEpochDay(c.expiresOn)! + 1) * DAY + DAY_ENDS_LATE,
    status: { idx: c.statusIndex, uri: c.statusUri },
    identity,
  };
}

/** `YYYYMMDD`, `YYYY-MM-DD` (seen in the spec's own example), `YYYYMM`, `YYYY` → ISO form, or null. */
function birthDateOf(v: string | undefined, full: boolean): string | null {
  if (v === undefined) return null;
  const d = v.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$1$2$3');
  const iso = full
    ? /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : null
    : /^\d{6}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4)}` : /^\d{4}$/.test(d) ? d : null;
  if (iso === null || birthDateToWire(iso) === null) bad('date of birth');
  return iso;
}

/**
 * CWT claims → card claims, for display after verification. Reads any
 * Claim 169 card with an id and a name, not only ours: no check character is
 * required of the number (other ecosystems number differently). Refuses what
 * could mislead a reader: missing iss, exp, nbf/iat, claim 169, id or name;
 * control or bidi override characters in shown text; impossible dates.
 * @throws CredentialError `malformed`
 * @example fromCwtClaims(decodeCwt(parseSign1(fromQrText(text)).payload))
 */
export function fromCwtClaims(cwt: CwtClaims): CardClaims {
  const id = cwt.identity;
  if (!id) bad('no claim 169');
  if (cwt.iss === undefined) bad('no iss');
  if (cwt.exp === undefined) bad('no exp');
  const start = cwt.nbf ?? cwt.iat;
  if (start === undefined) bad('no nbf or iat');
  if (cwt.exp <= start) bad('exp not after nbf');
  const name = id.fullName ?? [id.firstName, id.middleName, id.lastName].filter((s) => s !== undefined).join(' ');
  if (!isCleanText(id.id, 64)) bad('id');
  if (!isCleanText(name)) bad('name');
  const issuedDay = Math.floor((start + DAY_STARTS_EARLY) / DAY);
  const expiresDay = Math.floor((cwt.exp - DAY_ENDS_LATE) / DAY) - 1;
  if (expiresDay > 2_932_896 || issuedDay < 0) bad('date beyond 9999-12-31');
  const claims: CardClaims = {
    issuer: cwt.iss,
    number: id.id,
    name,
    birthDate: id.dateOfBirth !== undefined ? birthDateOf(id.dateOfBirth, true) : birthDateOf(id.partialDateOfBirth, false),
    country: id.countryOfIssuance ?? '',
    issuedOn: epochDayToIsoDate(issuedDay),
    expiresOn: epochDayToIsoDate(Math.max(issuedDay, expiresDay)),
    statusIndex: cwt.status?.idx ?? -1,
    statusUri: cwt.status?.uri ?? '',
  };
  if (id.countryOfIssuance !== undefined && !COUNTRY.test(id.countryOfIssuance)) bad('country of issuance');
  if (id.secondaryFullName !== undefined) {
    if (!isCleanText(id.secondaryFullName)) bad('secondary full name');
    claims.originalName = id.secondaryFullName;
    if (id.secondaryLanguage !== undefined) claims.originalNameLanguage = id.secondaryLanguage;
  }
  if (id.language !== undefined) claims.language = id.language;
  if (id.gender !== undefined && GENDER_MARKER[id.gender]) claims.marker = GENDER_MARKER[id.gender];
  else if (id.genderMarker !== undefined) {
    if (!isCleanText(id.genderMarker, 16)) bad('gender marker');
    claims.marker = id.genderMarker;
  }
  return claims;
}
