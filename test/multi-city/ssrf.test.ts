/**
 * Server-side request forgery through partner URLs (issue 13, finding 8).
 * A registration `url`, a partner's `status_list_url` and a trust list's
 * `metadataUrl` aimed at this machine or its network are refused before any
 * connection, all with one answer; a listener on loopback records every
 * connection and must see none. With FEDERATION_ALLOW_PRIVATE_NETWORKS=true
 * two cities on one machine federate over real HTTP.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signTrustList } from '../../src/modules/federation/trust-list.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { newKey } from './network.js';

/** Connections seen by the listeners on 127.0.0.1 and [::1]. */
let connections = 0;
let port = 0;
const servers: Array<Server | HttpServer> = [];
let b: TestContext; // a city with the default setting: public addresses only
let coordinator: Awaited<ReturnType<typeof newKey>>;

const listen = (s: Server | HttpServer, host: string, p = 0) =>
  new Promise<number>((resolve, reject) => {
    s.once('error', reject);
    s.listen(p, host, () => resolve((s.address() as { port: number }).port));
  });

beforeAll(async () => {
  const v4 = createServer((sock) => {
    connections++;
    sock.destroy();
  });
  port = await listen(v4, '127.0.0.1');
  servers.push(v4);
  const v6 = createServer((sock) => {
    connections++;
    sock.destroy();
  });
  // Where the host has IPv6 loopback, [::1] forms are aimed at a live listener too.
  await listen(v6, '::1', port).then(() => servers.push(v6), () => undefined);
  coordinator = await newKey();
  b = await createTestApp({ env: { FEDERATION_SYNC_SECONDS: '0', TRUST_ANCHOR_JWK: JSON.stringify(coordinator.jwk) } });
});
afterAll(async () => {
  await b.close();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});
beforeEach(() => {
  connections = 0;
});

const register = (t: TestContext, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/v1/federation/partners', headers: t.auth('admin'), payload: body });
const FINGERPRINT = 'A'.repeat(43);

/** Every form of "this machine or its network" an attacker might try. */
const targets = () => [
  `https://127.0.0.1:${port}/.well-known/lcc-issuer`,
  `https://127.1:${port}/.well-known/lcc-issuer`,
  `https://2130706433:${port}/.well-known/lcc-issuer`,
  `https://0x7f000001:${port}/.well-known/lcc-issuer`,
  `https://0177.0.0.1:${port}/.well-known/lcc-issuer`,
  `https://localhost:${port}/.well-known/lcc-issuer`,
  `https://LOCALHOST.:${port}/.well-known/lcc-issuer`,
  `http://localhost:${port}/.well-known/lcc-issuer`,
  `http://127.0.0.1:${port}/.well-known/lcc-issuer`,
  `https://[::1]:${port}/.well-known/lcc-issuer`,
  `https://[::ffff:127.0.0.1]:${port}/.well-known/lcc-issuer`,
  `https://[::ffff:7f00:1]:${port}/.well-known/lcc-issuer`,
  `https://[64:ff9b::7f00:1]:${port}/.well-known/lcc-issuer`,
  `https://0.0.0.0:${port}/.well-known/lcc-issuer`,
  `https://0:${port}/.well-known/lcc-issuer`,
  `https://[::]:${port}/.well-known/lcc-issuer`,
  'https://10.0.0.1/.well-known/lcc-issuer',
  'https://172.16.5.4/.well-known/lcc-issuer',
  'https://192.168.1.1/.well-known/lcc-issuer',
  'https://100.64.0.1/.well-known/lcc-issuer',
  'https://169.254.169.254/latest/meta-data',
  'https://[fe80::1]/.well-known/lcc-issuer',
  'https://[fd00::1]/.well-known/lcc-issuer',
  'https://[::ffff:169.254.169.254]/latest/meta-data',
];

/** The answer for a name that does not resolve at all: every refusal must look exactly like it. */
async function unreachableAnswer() {
  const res = await register(b, { url: 'https://no-such-city.invalid/.well-known/lcc-issuer', fingerprint: FINGERPRINT });
  expect(res.statusCode).toBe(502);
  return res.json();
}

describe('registration url', () => {
  it('every loopback, private, link-local and unspecified form is refused with one answer, and nothing connects', async () => {
    const unreachable = await unreachableAnswer();
    expect(unreachable.code).toBe('partner-fetch-failed');
    for (const url of targets()) {
      const res = await register(b, { url, fingerprint: FINGERPRINT });
      expect(res.statusCode, url).toBe(502);
      expect(res.json(), url).toEqual(unreachable);
    }
    expect(connections).toBe(0);
  });
});

describe("a partner's status_list_url", () => {
  it('pointing at loopback is never fetched: the partner is registered from pasted metadata, its status list fails with the same code', async () => {
    // A real city whose published URLs (status list included) point at the loopback listener.
    const a = await createTestApp({ env: { CITY_ID: 'fr-aville', CITY_NAME: 'Aville', PUBLIC_URL: `https://127.0.0.1:${port}`, FEDERATION_SYNC_SECONDS: '0' } });
    try {
      const jws = (await a.app.inject('/.well-known/lcc-issuer')).body;
      const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as { root: JWK; status_list_url: string };
      expect(new URL(payload.status_list_url).host).toBe(`127.0.0.1:${port}`);
      const res = await register(b, { metadata: jws, fingerprint: await calculateJwkThumbprint(payload.root) });
      expect(res.statusCode).toBe(201);
      const sync = await b.app.inject({ method: 'POST', url: '/v1/federation/partners/fr-aville/sync', headers: b.auth('admin') });
      expect(sync.json().lastError).toBe('partner-fetch-failed');
      expect(sync.json().statusListFetchedAt).toBeNull();
      expect(connections).toBe(0);
    } finally {
      await a.close();
    }
  });
});

describe("a trust list's metadataUrl", () => {
  it('pointing at loopback, private or metadata addresses is listed but never fetched', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const urls = targets();
    const issuers = urls.map((metadataUrl, i) => ({ id: `fr-ssrf${i}`, name: `Ssrf ${i}`, country: 'FR', rootFingerprint: `${'B'.repeat(40)}${String(i).padStart(3, '0')}`, metadataUrl }));
    const list = await signTrustList({ country: 'FR', iat, exp: iat + 86_400, issuers }, coordinator.privateJwk);
    const imported = await b.app.inject({ method: 'POST', url: '/v1/federation/trust-list', headers: b.auth('admin'), payload: { trustList: list } });
    expect(imported.statusCode, imported.body).toBe(200);
    for (const { id } of issuers) {
      const sync = await b.app.inject({ method: 'POST', url: `/v1/federation/partners/${id}/sync`, headers: b.auth('admin') });
      expect(sync.json(), id).toMatchObject({ state: 'pending', lastError: 'partner-fetch-failed' });
    }
    expect(connections).toBe(0);
  });
});

describe('with FEDERATION_ALLOW_PRIVATE_NETWORKS=true', () => {
  it('two cities on one machine federate over real HTTP on loopback; the default city still refuses the same URL', async () => {
    // A's port must be known before A is built: its metadata names its own URLs.
    const probe = createServer();
    const aPort = await listen(probe, '127.0.0.1');
    await new Promise((r) => probe.close(r));
    const a = await createTestApp({ env: { CITY_ID: 'fr-loopville', CITY_NAME: 'Loopville', PUBLIC_URL: `http://127.0.0.1:${aPort}`, FEDERATION_SYNC_SECONDS: '0' } });
    const c = await createTestApp({ env: { CITY_ID: 'fr-cville', CITY_NAME: 'Cville', FEDERATION_SYNC_SECONDS: '0', FEDERATION_ALLOW_PRIVATE_NETWORKS: 'true' } });
    try {
      await a.app.listen({ host: '127.0.0.1', port: aPort });
      const jws = (await a.app.inject('/.well-known/lcc-issuer')).body;
      const root = (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as { root: JWK }).root;
      const url = `http://127.0.0.1:${aPort}/.well-known/lcc-issuer`;
      const fingerprint = await calculateJwkThumbprint(root);

      const res = await register(c, { url, fingerprint });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ id: 'fr-loopville', state: 'active', lastError: null });
      expect(res.json().statusListFetchedAt).not.toBeNull();

      const refused = await register(b, { url, fingerprint });
      expect(refused.statusCode).toBe(502);
      expect(refused.json()).toEqual(await unreachableAnswer());
    } finally {
      await a.close();
      await c.close();
    }
  });

  it('a redirect is never followed, even to an allowed address', async () => {
    const target = createHttpServer((_req, res) => {
      connections++;
      res.end('x');
    });
    const targetPort = await listen(target, '127.0.0.1');
    const redirector = createHttpServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${targetPort}/.well-known/lcc-issuer` }).end());
    const redirectPort = await listen(redirector, '127.0.0.1');
    servers.push(target, redirector);
    const c = await createTestApp({ env: { CITY_ID: 'fr-dville', CITY_NAME: 'Dville', FEDERATION_SYNC_SECONDS: '0', FEDERATION_ALLOW_PRIVATE_NETWORKS: 'true' } });
    try {
      const res = await register(c, { url: `http://127.0.0.1:${redirectPort}/.well-known/lcc-issuer`, fingerprint: FINGERPRINT });
      expect(res.statusCode).toBe(502);
      expect(res.json().code).toBe('partner-fetch-failed');
      expect(connections).toBe(0);
    } finally {
      await c.close();
    }
  });
});
