/**
 * Several cities in one test run, each its own app and database, and a
 * fetch that routes `https://<city-id>.example/…` to that city's
 * `app.inject` — no network. A route can be taken down or overridden to
 * serve a forged document.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, CompactSign, type JWK } from 'jose';
import type { FetchFn } from '../../src/modules/federation/fetch-document.js';
import { createTestApp, type TestContext } from '../helpers/app.js';

export interface City {
  id: string;
  t: TestContext;
  url: string;
  metadataUrl: string;
}

export interface Network {
  fetch: FetchFn;
  city(id: string, name: string, country: string, env?: Record<string, string>): Promise<City>;
  /** Unreachable until `up`. */
  down(host: string): void;
  up(host: string): void;
  /** Serve this body (status 200) at this exact URL instead of the city's answer. */
  override(url: string, body: string | undefined): void;
  close(): Promise<void>;
  /** Requests served, by URL (for ETag assertions). */
  log: Array<{ url: string; status: number; ifNoneMatch?: string }>;
}

export function createNetwork(opts: { clock?: () => Date } = {}): Network {
  const apps = new Map<string, TestContext>();
  const downed = new Set<string>();
  const overrides = new Map<string, string>();
  const log: Network['log'] = [];

  const fetch: FetchFn = async (url, init) => {
    const u = new URL(url);
    if (downed.has(u.host)) throw new TypeError('fetch failed: ECONNREFUSED');
    const forged = overrides.get(url);
    if (forged !== undefined) return new Response(forged, { status: 200, headers: { 'content-type': 'application/jose' } });
    const t = apps.get(u.host);
    if (!t) throw new TypeError('fetch failed: ENOTFOUND');
    const res = await t.app.inject({ method: 'GET', url: u.pathname + u.search, headers: init.headers });
    log.push({ url, status: res.statusCode, ...(init.headers['if-none-match'] ? { ifNoneMatch: init.headers['if-none-match'] } : {}) });
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    return new Response(res.statusCode === 304 ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers });
  };

  return {
    fetch,
    log,
    async city(id, name, country, env = {}) {
      const url = `https://${id}.example`;
      const t = await createTestApp({
        // The in-process network has no DNS (`*.example`): the public-address check is for the real transport (test/multi-city/ssrf.test.ts).
        env: { CITY_ID: id, CITY_NAME: name, COUNTRY: country, PUBLIC_URL: url, FEDERATION_SYNC_SECONDS: '0', FEDERATION_ALLOW_PRIVATE_NETWORKS: 'true', ...env },
        fetch,
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
      apps.set(new URL(url).host, t);
      return { id, t, url, metadataUrl: `${url}/.well-known/lcc-issuer` };
    },
    down: (host) => downed.add(host),
    up: (host) => downed.delete(host),
    override: (url, body) => (body === undefined ? overrides.delete(url) : overrides.set(url, body)),
    async close() {
      await Promise.all([...apps.values()].map((t) => t.close()));
    },
  };
}

/** The city's metadata JWS and its root fingerprint, as an administrator would get them from the partner. */
export async function metadataOf(c: City): Promise<{ jws: string; payload: Record<string, unknown>; fingerprint: string }> {
  const jws = (await c.t.app.inject(c.metadataUrl.replace(c.url, ''))).body;
  const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  return { jws, payload, fingerprint: await calculateJwkThumbprint(payload.root as JWK) };
}

export function register(b: City, body: Record<string, unknown>) {
  return b.t.app.inject({ method: 'POST', url: '/v1/federation/partners', headers: b.t.auth('admin'), payload: body });
}

export function syncPartner(b: City, id: string) {
  return b.t.app.inject({ method: 'POST', url: `/v1/federation/partners/${id}/sync`, headers: b.t.auth('admin') });
}

export async function verifyIn(b: City, qr: string) {
  const res = await b.t.app.inject({ method: 'POST', url: '/v1/verify', headers: b.t.auth('official'), payload: { qr } });
  return res.json();
}

/** A fresh Ed25519 key pair with its public JWK and thumbprint. */
export async function newKey(): Promise<{ privateKey: KeyObject; jwk: Record<string, string>; kid: string; privateJwk: Record<string, string> }> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { kty, crv, x } = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const jwk = { kty: kty!, crv: crv!, x: x! };
  return { privateKey, jwk, kid: await calculateJwkThumbprint(jwk as JWK), privateJwk: privateKey.export({ format: 'jwk' }) as Record<string, string> };
}

export async function signJson(payload: unknown, key: { privateKey: KeyObject; kid: string }, typ: string, alg = 'EdDSA'): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg, kid: key.kid, typ }).sign(key.privateKey);
}
