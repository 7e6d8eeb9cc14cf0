/**
 * MOSIP Claim 169 ("identity-data", IANA CWT claim 169, spec v1.2.2): the
 * identity map, read generically (every attribute of the spec, so a card of
 * any Claim 169 implementation can be shown) and written with only what our
 * card prints (src/credential/README.md "What the QR code carries").
 */
import { decodeCbor, isCborMap } from './cbor.js';
import { CredentialError } from './errors.js';

/** The CWT claim key of the identity map. */
export const CLAIM_169 = 169;

/** Attribute keys of the identity map (spec v1.2.2 §3.1), and our two in the closed range 75–99. */
export const C169 = {
  id: 1,
  version: 2,
  language: 3,
  fullName: 4,
  firstName: 5,
  middleName: 6,
  lastName: 7,
  dateOfBirth: 8,
  gender: 9,
  address: 10,
  email: 11,
  phone: 12,
  nationality: 13,
  maritalStatus: 14,
  guardian: 15,
  secondaryFullName: 19,
  secondaryLanguage: 20,
  locationCode: 21,
  legalStatus: 22,
  countryOfIssuance: 23,
  /** Ours (closed-range use, spec "Guidelines"): a birth date known only as `YYYY` or `YYYYMM`. */
  partialDateOfBirth: 75,
  /** Ours: a printed gender marker other than M, F, X, as text. */
  genderMarker: 76,
} as const;

type TextField = Exclude<keyof typeof C169, 'gender' | 'maritalStatus'>;
const TEXT_FIELDS = Object.keys(C169).filter((k) => k !== 'gender' && k !== 'maritalStatus') as TextField[];

/** The identity map with named attributes. Unknown or binary attributes (biometrics 50–65…) are listed in `other`. */
export type Claim169Identity = { [K in TextField]?: string } & {
  /** 1 male, 2 female, 3 other (spec); we write it only for a printed marker M, F or X. */
  gender?: number;
  maritalStatus?: number;
  /** Attributes this reader does not name, by key: text and numbers as they are, byte strings as their length. */
  other?: Record<string, string | number | { bytes: number } | 'structured'>;
};

const KEY_NAME = new Map<number, keyof typeof C169>(Object.entries(C169).map(([k, v]) => [v, k as keyof typeof C169]));
const MAX_TEXT_BYTES = 512;
const utf8 = new TextEncoder();

function bad(why: string): never {
  throw new CredentialError('malformed', `claim 169: ${why}`);
}

/**
 * Named attributes → the identity map (keys in ascending order).
 * @example encodeIdentity({ id: '7KQ4M2XD9R', fullName: 'Amina Haddad', countryOfIssuance: 'FR' })
 */
export function encodeIdentity(identity: Claim169Identity): Map<number, string | number> {
  const entries: Array<[number, string | number]> = [];
  for (const [name, key] of Object.entries(C169) as Array<[keyof typeof C169, number]>) {
    const v = identity[name];
    if (v !== undefined) entries.push([key, v]);
  }
  return new Map(entries.sort((a, b) => a[0] - b[0]));
}

/**
 * The identity map → named attributes. Accepts the map itself or, as the
 * spec's own example does, a byte string holding the encoded map. Lenient on
 * what is inside (other implementations' cards), strict on types: a named
 * text attribute that is not text is `malformed`. A gender written as a digit
 * string (as some implementations do) is read as the number.
 * @throws CredentialError `malformed`
 */
export function decodeIdentity(value: unknown): Claim169Identity {
  let map = value;
  if (map instanceof Uint8Array) map = decodeCbor(map, 'claim 169 (embedded)', 4);
  if (!isCborMap(map)) bad('not a map');
  const out: Claim169Identity = {};
  const other: NonNullable<Claim169Identity['other']> = {};
  for (const [key, v] of map) {
    if (typeof key !== 'number' || !Number.isInteger(key)) bad('a key is not an integer');
    const name = KEY_NAME.get(key);
    if (name === 'gender' || name === 'maritalStatus') {
      const n = typeof v === 'string' && /^\d{1,2}$/.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 99) bad(`${name} is not a small integer`);
      out[name] = n;
    } else if (name !== undefined) {
      if (typeof v !== 'string') bad(`${name} is not text`);
      if (utf8.encode(v).length > MAX_TEXT_BYTES) bad(`${name} too long`);
      out[name] = v;
    } else if (typeof v === 'string' || typeof v === 'number') other[String(key)] = v;
    else if (v instanceof Uint8Array) other[String(key)] = { bytes: v.length };
    else other[String(key)] = 'structured';
  }
  if (Object.keys(other).length > 0) out.other = other;
  return out;
}

export { TEXT_FIELDS };
