/**
 * The national trust list: made with the coordinator CLI, imported by B in
 * one transaction (2,000 issuers here; bench/trust-list.ts measures 35,000),
 * entries pinned by fingerprint until their metadata is fetched, and looked
 * up by issuer id through the primary key index.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { trustAnchorGenerate, trustListSign, trustListVerify } from '../../src/cli/federation-commands.js';
import { signTrustList, type TrustListEntry } from '../../src/modules/federation/trust-list.js';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';
import { createNetwork, metadataOf, newKey, signJson, syncPartner, verifyIn, type City } from './network.js';

const net = createNetwork();
let a: City;
let b: City;
let c: City;
let dir: string;
let coordinator: Record<string, string>;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lcc-trust-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  expect(await trustAnchorGenerate.run({} as never, ['--out', dir])).toBe(0);
  coordinator = JSON.parse(readFileSync(join(dir, 'coordinator.private.jwk.json'), 'utf8'));
  const anchor = readFileSync(join(dir, 'coordinator.public.jwk.json'), 'utf8').trim();
  [a, b, c] = await Promise.all([
    net.city('fr-aville', 'Aville', 'FR'),
    net.city('fr-bville', 'Bville', 'FR', { TRUST_ANCHOR_JWK: anchor }),
    net.city('de-cstadt', 'Cstadt', 'DE'),
  ]);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await net.close();
});

const importList = (jws: string, city = b) => city.t.app.inject({ method: 'POST', url: '/v1/federation/trust-list', headers: city.t.auth('admin'), payload: { trustList: jws } });
const synthetic = (n: number, prefix = 'fr-c'): TrustListEntry[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${String(i).padStart(5, '0')}`, name: `Commune ${i}`, country: 'FR', rootFingerprint: 'x'.repeat(43 - String(i).length) + String(i), metadataUrl: `https://${prefix}${i}.example/.well-known/lcc-issuer` }));

describe('the coordinator CLI', () => {
  it('signs a list from a folder of metadata, refusing another country’s, and verifies it against the anchor', async () => {
    const folder = mkdtempSync(join(dir, 'meta-'));
    writeFileSync(join(folder, 'fr-aville.jws'), (await metadataOf(a)).jws);
    writeFileSync(join(folder, 'de-cstadt.jws'), (await metadataOf(c)).jws);
    const out = join(dir, 'list.jws');
    expect(await trustListSign.run({ country: 'FR' } as never, [folder, '--key', join(dir, 'coordinator.private.jwk.json'), '--out', out])).toBe(1);
    writeFileSync(join(folder, 'de-cstadt.jws'), '');
    expect(await trustListSign.run({ country: 'FR' } as never, [folder, '--key', join(dir, 'coordinator.private.jwk.json'), '--out', out])).toBe(1);
    await import('node:fs').then((fs) => fs.rmSync(join(folder, 'de-cstadt.jws')));
    expect(await trustListSign.run({ country: 'FR' } as never, [folder, '--key', join(dir, 'coordinator.private.jwk.json'), '--out', out, '--country', 'FR'])).toBe(0);
    expect(await trustListVerify.run({} as never, [out, '--anchor', join(dir, 'coordinator.public.jwk.json')])).toBe(0);
    const other = await newKey();
    writeFileSync(join(dir, 'other.jwk.json'), JSON.stringify(other.jwk));
    expect(await trustListVerify.run({} as never, [out, '--anchor', join(dir, 'other.jwk.json')])).toBe(1);
  });

  it('B imports it: A becomes a partner pending its metadata, then recognised after sync', async () => {
    const mine = await issue(a.t, await enrol(a.t, REFERENCE_RESIDENT));
    const res = await importList(readFileSync(join(dir, 'list.jws'), 'utf8').trim());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ country: 'FR', issuers: 1, added: 1, updated: 0, removed: 0, conflicts: [] });
    const pending = (await b.t.app.inject({ url: '/v1/federation/partners/fr-aville', headers: b.t.auth('admin') })).json();
    expect(pending).toMatchObject({ state: 'pending', source: 'trust_list', rootFingerprint: (await metadataOf(a)).fingerprint, keys: [] });
    expect((await verifyIn(b, mine.qr)).result).toBe('unknown_issuer');
    const synced = await syncPartner(b, 'fr-aville');
    expect(synced.json()).toMatchObject({ state: 'active', lastError: null });
    expect((await verifyIn(b, mine.qr))).toMatchObject({ result: 'valid', issuer: { id: 'fr-aville' } });
  });
});

describe('a national list of 2,000 issuers', () => {
  let entries: TrustListEntry[];
  let iat: number;

  it('imports in one go, keeping A, and pages through the partners', async () => {
    iat = now() + 10;
    const aMeta = await metadataOf(a);
    entries = [{ id: 'fr-aville', name: 'Aville', country: 'FR', rootFingerprint: aMeta.fingerprint, metadataUrl: a.metadataUrl }, ...synthetic(2000)];
    const jws = await signTrustList({ country: 'FR', iat, exp: iat + 30 * 86_400, issuers: entries }, coordinator);
    const res = await importList(jws);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ issuers: 2001, added: 2000, unchanged: 1, removed: 0 });
    const first = (await b.t.app.inject({ url: '/v1/federation/partners?limit=1000', headers: b.t.auth('admin') })).json();
    expect(first.items).toHaveLength(1000);
    const second = (await b.t.app.inject({ url: `/v1/federation/partners?limit=1000&after=${first.next}`, headers: b.t.auth('admin') })).json();
    const third = (await b.t.app.inject({ url: `/v1/federation/partners?limit=1000&after=${second.next}`, headers: b.t.auth('admin') })).json();
    expect(first.items.length + second.items.length + third.items.length).toBe(2001);
    expect(third.next).toBeUndefined();
    // Still recognised: the re-import did not reset A (same pin).
    expect((await b.t.app.inject({ url: '/v1/federation/partners/fr-aville', headers: b.t.auth('admin') })).json().state).toBe('active');
  });

  it('looks an issuer up by id through the primary key index (constant in the list size)', async () => {
    const res = await b.t.app.inject({ url: '/v1/federation/partners/fr-c01234', headers: b.t.auth('admin') });
    expect(res.json()).toMatchObject({ id: 'fr-c01234', state: 'pending', recognised: true });
    const plan = await b.t.database.db.execute(sql`explain select * from federation_partners where id = 'fr-c01234'`);
    const text = JSON.stringify((plan as unknown as { rows: unknown[] }).rows ?? plan);
    expect(text).toMatch(/Index Scan using federation_partners_pkey/);
  });

  it('re-importing is idempotent; a newer list without some issuers removes them; an older one is refused', async () => {
    const again = await importList(await signTrustList({ country: 'FR', iat, exp: iat + 30 * 86_400, issuers: entries }, coordinator));
    expect(again.json()).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 2001 });
    const newer = await importList(await signTrustList({ country: 'FR', iat: iat + 1, exp: iat + 30 * 86_400, issuers: entries.slice(0, 1501) }, coordinator));
    expect(newer.json()).toMatchObject({ removed: 500, unchanged: 1501 });
    expect((await b.t.app.inject({ url: '/v1/federation/partners/fr-c01999', headers: b.t.auth('admin') })).statusCode).toBe(404);
    const older = await importList(await signTrustList({ country: 'FR', iat: iat - 100, exp: iat + 30 * 86_400, issuers: entries }, coordinator));
    expect(older.statusCode).toBe(409);
    expect(older.json().code).toBe('trust-list-stale');
  });

  it('a listed entry whose fingerprint or id does not match the served metadata stays pending, with the reason', async () => {
    const t = now() + 20;
    const aMeta = await metadataOf(a);
    const list = [
      ...entries.slice(0, 1501),
      { id: 'fr-wrongpin', name: 'Wrong pin', country: 'FR', rootFingerprint: 'W'.repeat(43), metadataUrl: a.metadataUrl },
      { id: 'fr-wrongid', name: 'Wrong id', country: 'FR', rootFingerprint: aMeta.fingerprint, metadataUrl: a.metadataUrl },
    ];
    expect((await importList(await signTrustList({ country: 'FR', iat: t, exp: t + 86_400, issuers: list }, coordinator))).json().added).toBe(2);
    expect((await syncPartner(b, 'fr-wrongpin')).json()).toMatchObject({ state: 'pending', lastError: 'partner-fingerprint-mismatch' });
    expect((await syncPartner(b, 'fr-wrongid')).json()).toMatchObject({ state: 'pending', lastError: 'partner-issuer-mismatch' });
    const unreachable = (await syncPartner(b, 'fr-c00001')).json();
    expect(unreachable).toMatchObject({ state: 'pending', lastError: 'partner-fetch-failed' });
  });
});

describe('forged trust lists', () => {
  const entry = () => synthetic(3, 'fr-f');
  const cases: Array<[string, () => Promise<string>, number, string]> = [
    ['signed by another key', async () => signJson({ country: 'FR', iat: now() + 100, exp: now() + 86_400, issuers: entry() }, await newKey(), 'lcc-trust-list+jwt'), 422, 'trust-list-signature-invalid'],
    [
      'a payload swapped under the anchor’s signature',
      async () => {
        const [h, , s] = (await signTrustList({ country: 'FR', iat: now() + 100, exp: now() + 86_400, issuers: entry() }, coordinator)).split('.');
        const evil = Buffer.from(JSON.stringify({ country: 'FR', iat: now() + 100, exp: now() + 86_400, issuers: synthetic(1, 'fr-evil') })).toString('base64url');
        return `${h}.${evil}.${s}`;
      },
      422,
      'trust-list-signature-invalid',
    ],
    ['another typ', async () => signJson({ country: 'FR', iat: now(), exp: now() + 86_400, issuers: [] }, { privateKey: (await import('node:crypto')).createPrivateKey({ key: coordinator as never, format: 'jwk' }), kid: 'x' }, 'lcc-issuer+jwt'), 400, 'trust-list-malformed'],
    ['another country’s list', async () => signTrustList({ country: 'DE', iat: now() + 100, exp: now() + 86_400, issuers: [] }, coordinator), 422, 'trust-list-country-mismatch'],
    ['an expired list', async () => signTrustList({ country: 'FR', iat: 1_600_000_000, exp: 1_600_086_400, issuers: [] }, coordinator), 422, 'trust-list-expired'],
    ['an entry with a bad fingerprint', async () => signTrustList({ country: 'FR', iat: now() + 100, exp: now() + 86_400, issuers: [{ ...entry()[0]!, rootFingerprint: 'short' }] }, coordinator), 400, 'trust-list-malformed'],
    ['an entry of another country', async () => signTrustList({ country: 'FR', iat: now() + 100, exp: now() + 86_400, issuers: [{ ...entry()[0]!, country: 'DE' }] }, coordinator), 400, 'trust-list-malformed'],
    ['an issuer listed twice', async () => signTrustList({ country: 'FR', iat: now() + 100, exp: now() + 86_400, issuers: [entry()[0]!, entry()[0]!] }, coordinator), 400, 'trust-list-malformed'],
  ];

  it.each(cases)('refuses %s, importing nothing', async (_n, build, status, code) => {
    const before = (await b.t.app.inject({ url: '/v1/federation/partners?limit=1000&after=fr-e', headers: b.t.auth('admin') })).json().items.length;
    const res = await importList(await build());
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe(code);
    expect((await b.t.app.inject({ url: '/v1/federation/partners?limit=1000&after=fr-e', headers: b.t.auth('admin') })).json().items.length).toBe(before);
  });

  it('names the failing entry', async () => {
    const res = await importList(await signTrustList({ country: 'FR', iat: now() + 100, exp: now() + 86_400, issuers: [...entry(), { ...entry()[0]!, id: 'fr-ok', metadataUrl: 'ftp://x' }] }, coordinator));
    expect(res.json().errors).toEqual([{ path: '/issuers/3/metadataUrl', message: 'must be an https URL' }]);
  });

  it('a city without a trust anchor accepts no list', async () => {
    const res = await importList(await signTrustList({ country: 'FR', iat: now(), exp: now() + 86_400, issuers: [] }, coordinator), a);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('trust-anchor-missing');
  });
});
