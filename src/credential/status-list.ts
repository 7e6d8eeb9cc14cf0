/**
 * Revocation by IETF Token Status List (draft-ietf-oauth-status-list; DESIGN.md
 * "Revocation"): one entry of `bits` bits per card, packed least-significant
 * bits first (entry i at byte ⌊i·bits/8⌋), zlib-compressed (RFC 1950),
 * base64url, in a JWT of type `statuslist+jwt` signed by the issuer.
 */
import { CompactSign } from 'jose';
import { unzlibSync, zlibSync } from 'fflate';
import { b64uDecode, b64uEncode } from './base64url.js';
import { CredentialError } from './errors.js';
import { parseCompactJws } from './jws.js';
import type { Signer } from './keys.js';
import { type PreparedIssuer, type TrustedIssuer, prepareIssuer, verifyWithIssuerKeys } from './trust-store.js';

export type StatusBits = 1 | 2 | 4 | 8;

/** Status values (draft §7.1). 0x03 and above are application-specific; a verifier treats them as not valid. */
export const STATUS_VALID = 0x00;
export const STATUS_INVALID = 0x01;
export const STATUS_SUSPENDED = 0x02;

/**
 * Smallest list published: a list this large hides which card a verifier
 * asks about among many (the draft's "herd privacy").
 */
export const MIN_STATUS_LIST_SLOTS = 131_072;
/** Largest decoded list accepted (16 Mi entries at 2 bits): bounds a zlib bomb. */
export const MAX_STATUS_LIST_BYTES = 4 * 1024 * 1024;
/** The JWT `typ` (draft §5.1). */
export const STATUS_LIST_TYP = 'statuslist+jwt';

/** The `status_list` claim. */
export interface StatusListClaim {
  bits: StatusBits;
  lst: string;
}

/** A decoded list: the packed byte array. */
export interface StatusList {
  bits: StatusBits;
  list: Uint8Array;
}

function isBits(b: unknown): b is StatusBits {
  return b === 1 || b === 2 || b === 4 || b === 8;
}

/**
 * Packs one status per entry (0…2^bits−1) into the draft's byte layout,
 * padded with VALID entries to at least `minSlots`.
 */
export function packStatuses(statuses: Uint8Array, bits: StatusBits = 2, minSlots = MIN_STATUS_LIST_SLOTS): StatusList {
  const slots = Math.max(statuses.length, minSlots);
  const list = new Uint8Array(Math.ceil((slots * bits) / 8));
  const max = (1 << bits) - 1;
  for (let i = 0; i < statuses.length; i++) {
    const v = statuses[i]!;
    if (v > max) throw new RangeError(`status ${v} at ${i} does not fit ${bits} bits`);
    if (v !== 0) list[(i * bits) >> 3]! |= v << ((i * bits) & 7);
  }
  return { bits, list };
}

/**
 * Encodes statuses as the `status_list` claim.
 * @example encodeStatusList(new Uint8Array(131_072)) // { bits: 2, lst: 'eNrt…' }
 */
export function encodeStatusList(statuses: Uint8Array, bits: StatusBits = 2, minSlots = MIN_STATUS_LIST_SLOTS): StatusListClaim {
  if (!isBits(bits)) throw new RangeError('bits must be 1, 2, 4 or 8');
  return compressStatusList(packStatuses(statuses, bits, minSlots));
}

/** A packed list → the `status_list` claim. */
export function compressStatusList(list: StatusList): StatusListClaim {
  return { bits: list.bits, lst: b64uEncode(zlibSync(list.list, { level: 9 })) };
}

/**
 * The `status_list` claim → the packed list.
 * @throws CredentialError `malformed` (bad bits, base64url, zlib, or over {@link MAX_STATUS_LIST_BYTES}).
 * @example getStatus(decodeStatusList(claim), 42)
 */
export function decodeStatusList(claim: StatusListClaim, maxBytes = MAX_STATUS_LIST_BYTES): StatusList {
  if (typeof claim !== 'object' || claim === null || !isBits(claim.bits) || typeof claim.lst !== 'string') {
    throw new CredentialError('malformed', 'status_list claim');
  }
  const compressed = b64uDecode(claim.lst);
  let list: Uint8Array;
  try {
    list = unzlibSync(compressed, { out: new Uint8Array(maxBytes + 1) });
  } catch {
    throw new CredentialError('malformed', 'status list does not inflate');
  }
  if (list.length > maxBytes) throw new CredentialError('malformed', 'status list too large');
  return { bits: claim.bits, list: list.slice() };
}

/** Number of entries a packed list holds. */
export function statusListSize(list: StatusList): number {
  return (list.list.length * 8) / list.bits;
}

/**
 * The status of entry `index`, or undefined when the list does not hold it.
 * @example getStatus(list, 7) === STATUS_SUSPENDED
 */
export function getStatus(list: StatusList, index: number): number | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= statusListSize(list)) return undefined;
  const bit = index * list.bits;
  return (list.list[bit >> 3]! >> (bit & 7)) & ((1 << list.bits) - 1);
}

/** Sets entry `index` in place (issuer side). */
export function setStatus(list: StatusList, index: number, value: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= statusListSize(list)) throw new RangeError('index out of range');
  const mask = (1 << list.bits) - 1;
  if (!Number.isInteger(value) || value < 0 || value > mask) throw new RangeError('status out of range');
  const bit = index * list.bits;
  const shift = bit & 7;
  list.list[bit >> 3] = (list.list[bit >> 3]! & ~(mask << shift)) | (value << shift);
}

/**
 * Signs a Status List Token (draft §5.1): header `typ: statuslist+jwt`, claims
 * `iss`, `sub` (the list's URL), `iat`, `exp`, `ttl` (seconds a verifier may
 * cache it) and `status_list`. `exp` defaults to `iat` + 7 days.
 * @example await signStatusList(encodeStatusList(statuses), { id: 'fr-strasbourg', statusListUrl }, key, now, 3600)
 */
export async function signStatusList(
  list: StatusListClaim,
  issuer: { id: string; statusListUrl: string },
  signer: Signer,
  iat: number,
  ttl: number,
  exp: number = iat + 7 * 86_400,
): Promise<string> {
  const payload = { iss: issuer.id, sub: issuer.statusListUrl, iat, exp, ttl, status_list: list };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: STATUS_LIST_TYP })
    .sign(signer.privateKey);
}

export interface VerifiedStatusList extends StatusList {
  sub: string;
  iat: number;
  exp?: number;
  ttl?: number;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Verifies a Status List Token against the issuer's trusted keys and decodes it.
 * With `now`, refuses a token past its `exp`.
 * @throws CredentialError `malformed`, `unsupported_algorithm`, `invalid_signature`, `key_revoked`, `expired`.
 * @example issuer.statusList = { ...(await verifyStatusList(jwt, issuer)), fetchedAt: new Date().toISOString() }
 */
export async function verifyStatusList(
  jwt: string,
  issuer: TrustedIssuer | PreparedIssuer,
  opts: { now?: Date } = {},
): Promise<VerifiedStatusList> {
  if (typeof jwt !== 'string' || jwt.length > 8 * MAX_STATUS_LIST_BYTES) throw new CredentialError('malformed', 'token');
  const prepared = 'info' in issuer ? issuer : await prepareIssuer(issuer);
  const { header, payload } = parseCompactJws(jwt, { extraHeaders: ['typ'], maxPayloadBytes: 8 * MAX_STATUS_LIST_BYTES });
  if (header.typ !== STATUS_LIST_TYP) throw new CredentialError('malformed', 'typ');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as Record<string, unknown>;
  } catch {
    throw new CredentialError('malformed', 'payload is not JSON');
  }
  if (typeof claims !== 'object' || claims === null || claims.iss !== prepared.info.id) {
    throw new CredentialError('malformed', 'iss does not name this issuer');
  }
  const { sub, iat, exp, ttl } = claims;
  if (typeof sub !== 'string' || !isInt(iat) || (exp !== undefined && !isInt(exp)) || (ttl !== undefined && !isInt(ttl))) {
    throw new CredentialError('malformed', 'claims');
  }
  // A status list has no issue day to bound the key by: any non-revoked key of the issuer.
  const dot = jwt.lastIndexOf('.');
  const signed = { alg: header.alg, kid: b64uDecode(header.kid), data: new TextEncoder().encode(jwt.slice(0, dot)), signature: b64uDecode(jwt.slice(dot + 1)) };
  const outcome = await verifyWithIssuerKeys(signed, prepared);
  if (outcome !== 'ok') throw new CredentialError(outcome, 'status list signature');
  if (opts.now && exp !== undefined && opts.now.getTime() / 1000 > exp) throw new CredentialError('expired', 'status list expired');
  const list = decodeStatusList(claims.status_list as StatusListClaim);
  const out: VerifiedStatusList = { ...list, sub, iat };
  if (exp !== undefined) out.exp = exp;
  if (ttl !== undefined) out.ttl = ttl;
  return out;
}
