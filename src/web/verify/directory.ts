/**
 * "Cards from any city in the directory" (issue 19): the world directory's
 * issuers, from GET /v1/verifier-directory, a JWS signed by the same pinned
 * root as the city's bundle. Tens of thousands of issuers stay fast because
 * nothing is prepared up front: opening the bundle checks one signature and
 * indexes the issuers by URI and id; the first card naming an issuer imports
 * that issuer's keys and verifies its status list (about a millisecond), kept
 * for the next card. Runs in the browser and in Node (tests, bench).
 */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import {
  inspectCredential,
  prepareIssuer,
  type PreparedIssuer,
  type PreparedTrustStore,
  type SignatureAlg,
  type TrustedIssuer,
  type TrustedKey,
  verifyStatusList,
} from '../../credential/index.js';
import { TrustError, type PinnedRoot } from './trust.js';

export const DIRECTORY_BUNDLE_TYP = 'lcc-directory-bundle+jwt';

interface RawIssuer {
  id: string;
  uri?: string;
  name: string;
  country: string;
  keys: TrustedKey[];
  statusList?: string;
}

export interface LoadedDirectory {
  issuedAt: Date;
  graceUntil: Date;
  /** How many issuers, in how many countries. */
  issuers: number;
  countries: number;
  /** The trust store to check `qr` with: `main` plus, when the card names a directory issuer, that issuer prepared. */
  trustFor(qr: string, main: PreparedTrustStore, now: Date): Promise<{ trust: PreparedTrustStore; unchecked: boolean }>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * Verifies the directory bundle with the pinned root and indexes its issuers.
 * A copy older than `notBefore` (the one held) is refused.
 * @throws TrustError
 * @example const dir = await openDirectory(jws, root, held?.issuedAt)
 */
export async function openDirectory(jws: string, root: PinnedRoot, notBefore?: Date): Promise<LoadedDirectory> {
  let typ: unknown;
  try {
    ({ typ } = decodeProtectedHeader(jws));
  } catch {
    throw new TrustError('malformed', 'not a JWS');
  }
  if (typ !== DIRECTORY_BUNDLE_TYP) throw new TrustError('malformed', `expected ${DIRECTORY_BUNDLE_TYP}`);
  let p: Record<string, unknown>;
  try {
    const { payload } = await compactVerify(jws, await importJWK(root.jwk as JWK, 'EdDSA'), { algorithms: ['EdDSA'] });
    p = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  } catch {
    throw new TrustError('bad_signature', 'the directory does not verify with the root key');
  }
  if (p.iss !== root.iss) throw new TrustError('wrong_issuer', 'directory names another city');
  if (!Array.isArray(p.issuers)) throw new TrustError('malformed', 'directory issuers');
  const issuedAt = new Date(String(p.issuedAt));
  const graceUntil = new Date(String(p.graceUntil));
  if (Number.isNaN(issuedAt.getTime()) || Number.isNaN(graceUntil.getTime())) throw new TrustError('malformed', 'directory dates');
  if (notBefore && issuedAt < notBefore) throw new TrustError('rollback', 'directory is older than the one held');

  const byUri = new Map<string, RawIssuer>();
  const byId = new Map<string, RawIssuer>();
  const countries = new Set<string>();
  for (const i of p.issuers as unknown[]) {
    if (!isObj(i) || !isStr(i.id) || !isStr(i.name) || !isStr(i.country) || !Array.isArray(i.keys)) throw new TrustError('malformed', 'directory issuer');
    const raw: RawIssuer = { id: i.id, name: i.name, country: i.country, keys: i.keys as TrustedKey[], ...(isStr(i.uri) ? { uri: i.uri } : {}), ...(isStr(i.statusList) ? { statusList: i.statusList } : {}) };
    byId.set(raw.id, raw);
    if (raw.uri) byUri.set(raw.uri, raw);
    countries.add(raw.country);
  }

  const prepared = new Map<string, Promise<{ issuer: PreparedIssuer; unchecked: boolean }>>();
  async function prepare(raw: RawIssuer, now: Date): Promise<{ issuer: PreparedIssuer; unchecked: boolean }> {
    const source: TrustedIssuer = {
      id: raw.id,
      ...(raw.uri ? { uri: raw.uri } : {}),
      name: raw.name,
      country: raw.country,
      keys: raw.keys.map((k) => ({ kid: k.kid, jwk: k.jwk, alg: k.alg as SignatureAlg, status: k.status, ...(k.notBefore ? { notBefore: k.notBefore } : {}), ...(k.notAfter ? { notAfter: k.notAfter } : {}) })),
    };
    const issuer = await prepareIssuer(source);
    try {
      if (!raw.statusList) throw new Error('no status list');
      const list = await verifyStatusList(raw.statusList, issuer, { now });
      issuer.source.statusList = { bits: list.bits, list: list.list, fetchedAt: issuedAt.toISOString() };
      return { issuer, unchecked: false };
    } catch {
      return { issuer, unchecked: true };
    }
  }

  return {
    issuedAt,
    graceUntil,
    issuers: byId.size,
    countries: countries.size,
    async trustFor(qr, main, now) {
      let iss: string | undefined;
      try {
        iss = inspectCredential(qr).cwt.iss;
      } catch {
        return { trust: main, unchecked: false };
      }
      const raw = iss === undefined ? undefined : (byUri.get(iss) ?? byId.get(iss));
      // The city's own bundle wins: a directory entry never replaces an issuer it already trusts.
      if (!raw || main.issuers.has(raw.id) || (raw.uri && main.byUri.has(raw.uri))) return { trust: main, unchecked: false };
      let ready = prepared.get(raw.id);
      if (!ready) {
        ready = prepare(raw, now);
        prepared.set(raw.id, ready);
      }
      let got: { issuer: PreparedIssuer; unchecked: boolean };
      try {
        got = await ready;
      } catch {
        // A key the page cannot import: the card cannot be checked against it (it reads unknown_issuer).
        return { trust: main, unchecked: false };
      }
      const issuers = new Map(main.issuers);
      issuers.set(raw.id, got.issuer);
      const uris = new Map(main.byUri);
      if (raw.uri) uris.set(raw.uri, got.issuer);
      return { trust: { prepared: true, ownCountry: main.ownCountry, issuers, byUri: uris }, unchecked: got.unchecked };
    },
  };
}
