/**
 * The card's claims: the TypeScript shape callers use, and the wire payload
 * inside the JWS. DESIGN.md "Credential": only what is printed on the card and
 * what a verifier needs — never an address, nationality, migration status or
 * document number. The wire form is a deterministic CBOR map with one-byte
 * integer labels (README.md, "Claims on the wire").
 */
import { type CborMap, decodeCborMap, encodeCborMap } from './cbor.js';
import { isValidCardNumber, normalizeCardNumber } from './card-number.js';
import { birthDateFromWire, birthDateToWire, epochDayToIsoDate, isoDateToEpochDay } from './dates.js';
import { CredentialError } from './errors.js';

export interface CardClaims {
  /** Issuer id, e.g. `fr-strasbourg`. */
  issuer: string;
  /** Canonical card number, 10 characters, no separators. */
  number: string;
  /** The name as printed. */
  name: string;
  /** `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or null when unknown. */
  birthDate: string | null;
  /** Gender marker, present only if the holder chose to print it. */
  marker?: string;
  /** `YYYY-MM-DD` */
  issuedOn: string;
  /** `YYYY-MM-DD`; the card is valid through this whole day. */
  expiresOn: string;
  /** Index of the card in its issuer's status list. */
  statusIndex: number;
}

/** Wire labels of the card payload. Labels 0 and 9+ are not card claims. */
export const CARD_LABELS = {
  issuer: 1,
  number: 2,
  name: 3,
  /** integer YYYYMMDD | YYYYMM | YYYY; absent when unknown */
  birthDate: 4,
  marker: 5,
  /** epoch days */
  issuedOn: 6,
  /** epoch days */
  expiresOn: 7,
  statusIndex: 8,
} as const;

const REQUIRED = [1, 2, 3, 6, 7, 8];
const OPTIONAL = [4, 5];

/** Issuer ids: lowercase letters, digits, '.', '_', '-'; 1–64 characters. */
export const ISSUER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_NAME_BYTES = 200;
const MAX_MARKER_LENGTH = 16;
// C0, DEL, C1, line/paragraph separators, bidi embedding controls: nothing
// that could hide or reorder text on a verifier's screen.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const MAX_STATUS_INDEX = 0xffffffff;
/** 9999-12-31 in epoch days. */
const LAST_DAY = 2_932_896;

function bad(why: string): never {
  throw new CredentialError('malformed', `claims: ${why}`);
}

function checkText(s: unknown, what: string, maxBytes: number): string {
  if (typeof s !== 'string' || s.length === 0 || CONTROL.test(s) || s.trim() !== s) bad(`${what} is not clean text`);
  if (new TextEncoder().encode(s).length > maxBytes) bad(`${what} too long`);
  return s;
}

/** Checks a claim set; returns it unchanged. @throws CredentialError `malformed` */
function checkClaims(c: CardClaims): CardClaims {
  if (typeof c !== 'object' || c === null) bad('not an object');
  if (typeof c.issuer !== 'string' || !ISSUER_ID.test(c.issuer)) bad('issuer');
  // Canonical form only (no 'O' for '0', no separators): one number, one byte string.
  if (typeof c.number !== 'string' || normalizeCardNumber(c.number) !== c.number || !isValidCardNumber(c.number)) bad('number');
  checkText(c.name, 'name', MAX_NAME_BYTES);
  if (c.birthDate !== null && (typeof c.birthDate !== 'string' || birthDateToWire(c.birthDate) === null)) bad('birthDate');
  if (c.marker !== undefined) checkText(c.marker, 'marker', MAX_MARKER_LENGTH);
  const issued = isoDateToEpochDay(c.issuedOn);
  const expires = isoDateToEpochDay(c.expiresOn);
  if (issued === null) bad('issuedOn');
  if (expires === null) bad('expiresOn');
  if (expires < issued) bad('expiresOn before issuedOn');
  if (!Number.isInteger(c.statusIndex) || c.statusIndex < 0 || c.statusIndex > MAX_STATUS_INDEX) bad('statusIndex');
  return c;
}

/**
 * Claims → the wire payload (deterministic CBOR bytes).
 * @throws CredentialError `malformed` if a claim is invalid.
 * @example toPayload({ issuer: 'fr-strasbourg', number: '7KQ4M2XD9R', name: 'Amina Haddad',
 *   birthDate: '1990-04', issuedOn: '2025-01-02', expiresOn: '2030-01-01', statusIndex: 42 })
 */
export function toPayload(claims: CardClaims): Uint8Array {
  const c = checkClaims(claims);
  const map: CborMap = new Map();
  map.set(CARD_LABELS.issuer, c.issuer);
  map.set(CARD_LABELS.number, c.number);
  map.set(CARD_LABELS.name, c.name);
  if (c.birthDate !== null) map.set(CARD_LABELS.birthDate, birthDateToWire(c.birthDate)!);
  if (c.marker !== undefined) map.set(CARD_LABELS.marker, c.marker);
  map.set(CARD_LABELS.issuedOn, isoDateToEpochDay(c.issuedOn)!);
  map.set(CARD_LABELS.expiresOn, isoDateToEpochDay(c.expiresOn)!);
  map.set(CARD_LABELS.statusIndex, c.statusIndex);
  return encodeCborMap(map);
}

/**
 * The wire payload → claims, refusing anything off: unknown or missing
 * labels, wrong types, non-canonical encoding, impossible dates.
 * @throws CredentialError `malformed`
 * @example fromPayload(toPayload(claims)) // deep-equals claims
 */
export function fromPayload(payload: Uint8Array): CardClaims {
  const map = decodeCborMap(payload);
  for (const label of map.keys()) if (!REQUIRED.includes(label) && !OPTIONAL.includes(label)) bad(`unknown label ${label}`);
  for (const label of REQUIRED) if (!map.has(label)) bad(`missing label ${label}`);
  const str = (l: number): string => {
    const v = map.get(l);
    return typeof v === 'string' ? v : bad(`label ${l} is not text`);
  };
  const num = (l: number): number => {
    const v = map.get(l);
    return typeof v === 'number' ? v : bad(`label ${l} is not an integer`);
  };
  let birthDate: string | null = null;
  if (map.has(CARD_LABELS.birthDate)) {
    birthDate = birthDateFromWire(num(CARD_LABELS.birthDate));
    if (birthDate === null) bad('birthDate');
  }
  const issuedDay = num(CARD_LABELS.issuedOn);
  const expiresDay = num(CARD_LABELS.expiresOn);
  if (issuedDay > LAST_DAY || expiresDay > LAST_DAY) bad('date beyond 9999-12-31');
  const claims: CardClaims = {
    issuer: str(CARD_LABELS.issuer),
    number: str(CARD_LABELS.number),
    name: str(CARD_LABELS.name),
    birthDate,
    issuedOn: epochDayToIsoDate(issuedDay),
    expiresOn: epochDayToIsoDate(expiresDay),
    statusIndex: num(CARD_LABELS.statusIndex),
  };
  if (map.has(CARD_LABELS.marker)) claims.marker = str(CARD_LABELS.marker);
  return checkClaims(claims);
}
