/**
 * CBOR Web Token claims (RFC 8392) as the card and the resident proof carry
 * them, including the IETF Token Status List reference
 * (draft-ietf-oauth-status-list: claim `status`, key 65535,
 * `{ "status_list": { "idx": n, "uri": "…" } }`).
 */
import { decodeCbor, isCborMap } from './cbor.js';
import { CLAIM_169, type Claim169Identity, decodeIdentity, encodeIdentity } from './claim169.js';
import { CredentialError } from './errors.js';

/** CWT claim keys (RFC 8392 §4, IANA "CWT Claims"). */
export const CWT = { iss: 1, sub: 2, exp: 4, nbf: 5, iat: 6, cti: 7, identity: CLAIM_169, status: 65535 } as const;

export interface StatusReference {
  idx: number;
  uri: string;
}

export interface CwtClaims {
  iss?: string;
  sub?: string;
  /** NumericDate, seconds. */
  exp?: number;
  nbf?: number;
  iat?: number;
  cti?: Uint8Array;
  status?: StatusReference;
  /** Claim 169. */
  identity?: Claim169Identity;
}

const MAX_URI = 512;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function bad(why: string): never {
  throw new CredentialError('malformed', `CWT: ${why}`);
}

/**
 * Claims → the CWT map, keys ascending.
 * @example encodeCwt({ iss: 'https://id.example', exp, nbf, identity })
 */
export function encodeCwt(c: CwtClaims): Map<number, unknown> {
  const m = new Map<number, unknown>();
  if (c.iss !== undefined) m.set(CWT.iss, c.iss);
  if (c.sub !== undefined) m.set(CWT.sub, c.sub);
  if (c.exp !== undefined) m.set(CWT.exp, c.exp);
  if (c.nbf !== undefined) m.set(CWT.nbf, c.nbf);
  if (c.iat !== undefined) m.set(CWT.iat, c.iat);
  if (c.cti !== undefined) m.set(CWT.cti, new Uint8Array(c.cti));
  if (c.identity !== undefined) m.set(CWT.identity, encodeIdentity(c.identity));
  if (c.status !== undefined) m.set(CWT.status, new Map([['status_list', new Map<string, unknown>([['idx', c.status.idx], ['uri', c.status.uri]])]]));
  return m;
}

function statusOf(v: unknown): StatusReference {
  const list = isCborMap(v) ? v.get('status_list') : undefined;
  if (!isCborMap(list)) bad('status has no status_list');
  const idx = list.get('idx');
  const uri = list.get('uri');
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) bad('status_list.idx');
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > MAX_URI) bad('status_list.uri');
  return { idx, uri };
}

/**
 * The CWT payload bytes → claims. Claims this package does not use (aud,
 * cnf, …) are ignored; the ones it uses must have their registered types.
 * @throws CredentialError `malformed`
 */
export function decodeCwt(payload: Uint8Array): CwtClaims {
  const m = decodeCbor(payload, 'CWT claims');
  if (!isCborMap(m)) bad('claims are not a map');
  const out: CwtClaims = {};
  const iss = m.get(CWT.iss);
  if (iss !== undefined) {
    if (typeof iss !== 'string' || iss.length === 0 || iss.length > MAX_URI) bad('iss');
    out.iss = iss;
  }
  const sub = m.get(CWT.sub);
  if (sub !== undefined) {
    if (typeof sub !== 'string') bad('sub');
    out.sub = sub;
  }
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    const v = m.get(CWT[name]);
    if (v === undefined) continue;
    if (!isTime(v)) bad(`${name} is not a NumericDate`);
    out[name] = v;
  }
  const cti = m.get(CWT.cti);
  if (cti !== undefined) {
    if (!(cti instanceof Uint8Array)) bad('cti');
    out.cti = cti;
  }
  if (m.has(CWT.status)) out.status = statusOf(m.get(CWT.status));
  if (m.has(CWT.identity)) out.identity = decodeIdentity(m.get(CWT.identity));
  return out;
}
