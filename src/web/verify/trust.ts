/**
 * The verifier's trust: the city's root key, pinned on first use from its
 * signed issuer metadata, and the verifier bundle it signs (every trusted
 * issuer's keys and status list). Pure: no storage, no network, no DOM, so it
 * runs the same under test in Node.
 */
import { type JWK, base64url, calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import {
  type PreparedTrustStore,
  type SignatureAlg,
  type TrustedIssuer,
  type TrustedKey,
  prepareTrustStore,
  verifyStatusList,
} from '../../credential/index.js';

/** Header `typ` of the bundle (src/modules/verification/bundle-service.ts) and of the issuer metadata. */
export const BUNDLE_TYP = 'lcc-verifier-bundle+jwt';
export const ISSUER_TYP = 'lcc-issuer+jwt';
/** How far the device clock may lag behind the bundle's `issuedAt` before it is called wrong. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export class TrustError extends Error {
  override readonly name = 'TrustError';
  constructor(
    readonly code: 'malformed' | 'bad_signature' | 'wrong_issuer' | 'rollback',
    message: string,
  ) {
    super(message);
  }
}

export interface PinnedRoot {
  /** Issuer id of the city whose root this is. */
  iss: string;
  name: string;
  jwk: JWK;
  /** RFC 7638 thumbprint: what an administrator compares out of band. */
  thumbprint: string;
}

export interface BundleInfo {
  iss: string;
  country: string;
  issuedAt: Date;
  nextUpdate: Date;
  graceUntil: Date;
}

export interface LoadedTrust {
  info: BundleInfo;
  trust: PreparedTrustStore;
  /** Issuers whose status list is missing or failed its check: their cards are never shown as valid. */
  unchecked: ReadonlySet<string>;
}

export type Freshness = 'fresh' | 'stale' | 'out_of_date' | 'clock_wrong';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function json(bytes: Uint8Array): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new TrustError('malformed', 'payload is not JSON');
  }
  if (!isObj(v)) throw new TrustError('malformed', 'payload is not an object');
  return v;
}

function header(jws: string, typ: string): void {
  let h: ReturnType<typeof decodeProtectedHeader>;
  try {
    h = decodeProtectedHeader(jws);
  } catch {
    throw new TrustError('malformed', 'not a JWS');
  }
  if (h.alg !== 'EdDSA' || h.typ !== typ) throw new TrustError('malformed', `expected an EdDSA ${typ}`);
}

function ed25519Public(v: unknown): JWK {
  if (!isObj(v) || v.kty !== 'OKP' || v.crv !== 'Ed25519' || !isStr(v.x) || 'd' in v) throw new TrustError('malformed', 'root is not an Ed25519 public key');
  return { kty: 'OKP', crv: 'Ed25519', x: v.x };
}

async function verifiedPayload(jws: string, jwk: JWK): Promise<Record<string, unknown>> {
  try {
    const { payload } = await compactVerify(jws, await importJWK(jwk, 'EdDSA'), { algorithms: ['EdDSA'] });
    return json(payload);
  } catch (e) {
    if (e instanceof TrustError) throw e;
    throw new TrustError('bad_signature', 'signature does not verify with the root key');
  }
}

/**
 * Reads the root key out of the city's issuer metadata (GET
 * /.well-known/lcc-issuer) and checks that the metadata is signed by it.
 * Trust on first use: the page pins what its own origin served the first time.
 * @example const root = await pinRoot(await (await fetch('/.well-known/lcc-issuer')).text())
 */
export async function pinRoot(metadataJws: string): Promise<PinnedRoot> {
  header(metadataJws, ISSUER_TYP);
  const parts = metadataJws.split('.');
  let claimed: Record<string, unknown>;
  try {
    claimed = json(base64url.decode(parts[1] ?? ''));
  } catch {
    throw new TrustError('malformed', 'metadata payload');
  }
  const jwk = ed25519Public(claimed.root);
  const payload = await verifiedPayload(metadataJws, jwk);
  if (!isStr(payload.iss) || !isStr(payload.name)) throw new TrustError('malformed', 'metadata iss/name');
  return { iss: payload.iss, name: payload.name, jwk, thumbprint: await calculateJwkThumbprint(jwk, 'sha256') };
}

function date(v: unknown, what: string): Date {
  const d = typeof v === 'string' ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new TrustError('malformed', `${what} is not an instant`);
  return d;
}

function trustedKey(v: unknown): TrustedKey {
  if (!isObj(v) || !isStr(v.kid) || !isObj(v.jwk)) throw new TrustError('malformed', 'issuer key');
  if (v.alg !== 'EdDSA' && v.alg !== 'ES256') throw new TrustError('malformed', 'issuer key alg');
  if (v.status !== 'active' && v.status !== 'retired' && v.status !== 'revoked') throw new TrustError('malformed', 'issuer key status');
  const key: TrustedKey = { kid: v.kid, jwk: v.jwk as JWK, alg: v.alg as SignatureAlg, status: v.status };
  if (v.notBefore !== undefined) key.notBefore = date(v.notBefore, 'notBefore').toISOString();
  if (v.notAfter !== undefined) key.notAfter = date(v.notAfter, 'notAfter').toISOString();
  return key;
}

/**
 * Verifies the verifier bundle with the pinned root key, then each issuer's
 * status list with that issuer's keys. A bundle older than `notBefore` (the
 * one already held) is refused, so an old bundle cannot be replayed to undo a
 * revocation.
 * @throws TrustError
 * @example const loaded = await openBundle(jws, root, new Date(), cached?.info.issuedAt)
 */
export async function openBundle(jws: string, root: PinnedRoot, now: Date, notBefore?: Date): Promise<LoadedTrust> {
  header(jws, BUNDLE_TYP);
  const p = await verifiedPayload(jws, root.jwk);
  if (p.iss !== root.iss) throw new TrustError('wrong_issuer', 'bundle names another city');
  if (!isStr(p.country) || !Array.isArray(p.issuers)) throw new TrustError('malformed', 'bundle country/issuers');
  const info: BundleInfo = {
    iss: p.iss,
    country: p.country,
    issuedAt: date(p.issuedAt, 'issuedAt'),
    nextUpdate: date(p.nextUpdate, 'nextUpdate'),
    graceUntil: date(p.graceUntil, 'graceUntil'),
  };
  if (notBefore && info.issuedAt < notBefore) throw new TrustError('rollback', 'bundle is older than the one held');
  const lists = new Map<string, string>();
  const issuers: TrustedIssuer[] = p.issuers.map((i: unknown) => {
    if (!isObj(i) || !isStr(i.id) || !isStr(i.name) || !isStr(i.country) || !Array.isArray(i.keys)) throw new TrustError('malformed', 'bundle issuer');
    if (isStr(i.statusList)) lists.set(i.id, i.statusList);
    // `uri`: what the issuer's cards carry as `iss` (a bundle without it matches cards by id only).
    return { id: i.id, ...(isStr(i.uri) ? { uri: i.uri } : {}), name: i.name, country: i.country, keys: i.keys.map(trustedKey) };
  });
  let trust: PreparedTrustStore;
  try {
    trust = await prepareTrustStore({ ownCountry: info.country, issuers });
  } catch (e) {
    throw new TrustError('malformed', `bundle keys: ${(e as Error).message}`);
  }
  const unchecked = new Set<string>();
  for (const issuer of trust.issuers.values()) {
    const jwt = lists.get(issuer.info.id);
    try {
      if (!jwt) throw new Error('no status list');
      const list = await verifyStatusList(jwt, issuer, { now });
      // The list as of the bundle: its own `iat` is the time of its last change, which says nothing of how recent the copy is.
      issuer.source.statusList = { bits: list.bits, list: list.list, fetchedAt: info.issuedAt.toISOString() };
    } catch {
      unchecked.add(issuer.info.id);
    }
  }
  return { info, trust, unchecked };
}

/**
 * Whether the bundle may be used at `now`: past `graceUntil` it is out of
 * date (no card is called valid); a clock earlier than `issuedAt` is wrong.
 */
export function freshness(info: BundleInfo, now: Date): Freshness {
  const t = now.getTime();
  if (t < info.issuedAt.getTime() - CLOCK_SKEW_MS) return 'clock_wrong';
  if (t > info.graceUntil.getTime()) return 'out_of_date';
  if (t > info.nextUpdate.getTime()) return 'stale';
  return 'fresh';
}
