/**
 * The world directory (issue 19): three countries, a directory over two
 * national trust lists. Palermo (IT) trusts the network coordinator's key
 * (DIRECTORY_ANCHOR_JWK); the directory names the French and German
 * coordinators and where their lists live; those lists name Strasbourg and
 * Berlin. A card of Strasbourg reads `foreign_issuer` + `genuine: true` in
 * Palermo, a forged one `invalid_signature`, a revoked one `foreign_issuer`
 * with its status; a replayed older directory or one dated years ahead is
 * refused and the last good copy kept. /v1/network lists the partners and
 * the directory's cities with their public fields; its GeoJSON validates.
 */
import { sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { directorySign, directoryVerify, trustAnchorGenerate } from '../../src/cli/federation-commands.js';
import { issueCardQrText } from '../../src/credential/index.js';
import { signDirectory, type DirectoryEntry } from '../../src/modules/federation/directory.js';
import { signTrustList } from '../../src/modules/federation/trust-list.js';
import { enrol, issue, REFERENCE_RESIDENT, transition } from '../helpers/cards.js';
import { check as checkGeoJson } from '@placemarkio/check-geojson';
import { createNetwork, metadataOf, newKey, register, syncPartner, verifyIn, type City } from './network.js';

const net = createNetwork();
const DIRECTORY_URL = 'https://network-coordinator.example/directory.jwt';
const FR_LIST = 'https://coordination-fr.example/trust-list.jwt';
const DE_LIST = 'https://koordination-de.example/trust-list.jwt';
let palermo: City;
let strasbourg: City;
let berlin: City;
let roma: City;
let dir: string;
let network: Record<string, string>;
let fr: Awaited<ReturnType<typeof newKey>>;
let de: Awaited<ReturnType<typeof newKey>>;
const now = () => Math.floor(Date.now() / 1000);

const entries = (): DirectoryEntry[] => [
  { country: 'FR', coordinatorJwk: fr.jwk, fingerprint: fr.kid, trustListUrl: FR_LIST },
  { country: 'DE', coordinatorJwk: de.jwk, fingerprint: de.kid, trustListUrl: DE_LIST },
];
const publishDirectory = async (iat = now(), list = entries()) => net.override(DIRECTORY_URL, await signDirectory({ iat, exp: iat + 30 * 86_400, entries: list }, network));
const syncDirectory = async () => (await palermo.t.app.inject({ method: 'POST', url: '/v1/federation/directory/sync', headers: palermo.t.auth('admin') })).json();

async function listFor(city: City, key: typeof fr, country: string, iat = now()) {
  const m = await metadataOf(city);
  return signTrustList({ country, iat, exp: iat + 30 * 86_400, issuers: [{ id: city.id, name: String(m.payload.name), country, rootFingerprint: m.fingerprint, metadataUrl: city.metadataUrl }] }, key.privateJwk);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lcc-directory-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  // The network coordinator's key, made with the same tool as a national coordinator's.
  expect(await trustAnchorGenerate.run({} as never, ['--out', dir])).toBe(0);
  network = JSON.parse(readFileSync(join(dir, 'coordinator.private.jwk.json'), 'utf8'));
  const anchor = readFileSync(join(dir, 'coordinator.public.jwk.json'), 'utf8').trim();
  [fr, de] = await Promise.all([newKey(), newKey()]);
  [palermo, strasbourg, berlin, roma] = await Promise.all([
    net.city('it-palermo', 'Palermo', 'IT', { DIRECTORY_ANCHOR_JWK: anchor, DIRECTORY_URL }),
    net.city('fr-strasbourg', 'Strasbourg', 'FR'),
    net.city('de-berlin', 'Berlin', 'DE'),
    net.city('it-roma', 'Roma', 'IT'),
  ]);
  net.override(FR_LIST, await listFor(strasbourg, fr, 'FR'));
  net.override(DE_LIST, await listFor(berlin, de, 'DE'));
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await net.close();
});

describe('the network coordinator CLI', () => {
  it('signs a directory from an entries file (key files or JWKs) and verifies it against the anchor only', async () => {
    writeFileSync(join(dir, 'de.public.jwk.json'), JSON.stringify(de.jwk));
    writeFileSync(join(dir, 'entries.json'), JSON.stringify([{ country: 'fr', coordinatorJwk: fr.jwk, trustListUrl: FR_LIST }, { country: 'DE', coordinatorJwk: join(dir, 'de.public.jwk.json'), trustListUrl: DE_LIST }]));
    const out = join(dir, 'directory.jwt');
    expect(await directorySign.run({} as never, [join(dir, 'entries.json'), '--key', join(dir, 'coordinator.private.jwk.json'), '--out', out])).toBe(0);
    expect(await directoryVerify.run({} as never, [out, '--anchor', join(dir, 'coordinator.public.jwk.json')])).toBe(0);
    writeFileSync(join(dir, 'other.jwk.json'), JSON.stringify(fr.jwk));
    expect(await directoryVerify.run({} as never, [out, '--anchor', join(dir, 'other.jwk.json')])).toBe(1);
    // A fingerprint that is not the key's: nothing signed.
    writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ country: 'FR', coordinatorJwk: fr.jwk, fingerprint: de.kid, trustListUrl: FR_LIST }]));
    expect(await directorySign.run({} as never, [join(dir, 'bad.json'), '--key', join(dir, 'coordinator.private.jwk.json')])).toBe(1);
  });
});

describe('Palermo (IT) through the directory', () => {
  it('syncs the directory and both national lists: the listed cities are pending partners, then active', async () => {
    net.override(DIRECTORY_URL, readFileSync(join(dir, 'directory.jwt'), 'utf8').trim());
    const view = await syncDirectory();
    expect(view).toMatchObject({ configured: true, lastError: null, countries: [
      { country: 'DE', fingerprint: de.kid, issuers: 1, lastError: null },
      { country: 'FR', fingerprint: fr.kid, issuers: 1, lastError: null },
    ] });
    const pending = (await palermo.t.app.inject({ url: '/v1/federation/partners/fr-strasbourg', headers: palermo.t.auth('admin') })).json();
    expect(pending).toMatchObject({ source: 'directory', state: 'pending', country: 'FR', recognised: false });
    for (const id of ['fr-strasbourg', 'de-berlin']) expect((await syncPartner(palermo, id)).json()).toMatchObject({ state: 'active', lastError: null });
  });

  it('a card of Strasbourg is foreign_issuer, genuine, with its issuer and the printed fields an official may see', async () => {
    const card = await issue(strasbourg.t, await enrol(strasbourg.t, REFERENCE_RESIDENT));
    const answer = await verifyIn(palermo, card.qr);
    expect(answer).toMatchObject({ result: 'foreign_issuer', genuine: true, cardStatus: 'valid', issuer: { id: 'fr-strasbourg', name: 'Strasbourg', country: 'FR' }, card: { name: REFERENCE_RESIDENT.names.printed } });
    expect(answer.card.photo).toBeUndefined();
    const berliner = await issue(berlin.t, await enrol(berlin.t, REFERENCE_RESIDENT));
    expect(await verifyIn(palermo, berliner.qr)).toMatchObject({ result: 'foreign_issuer', genuine: true, issuer: { id: 'de-berlin', country: 'DE' } });
  });

  it('a forged Strasbourg card (its name, another key) is invalid_signature', async () => {
    const attacker = await newKey();
    const signer = (k: { kid: string; privateKey: KeyObject }) => ({ kid: k.kid, privateKey: k.privateKey, alg: 'EdDSA' as const, signBytes: (d: Uint8Array) => sign(null, d, k.privateKey) });
    const real = await issue(strasbourg.t, await enrol(strasbourg.t, REFERENCE_RESIDENT));
    const claims = { number: real.number.replace(/-/g, ''), name: 'Impostor', birthDate: null, country: 'FR', issuedOn: new Date().toISOString().slice(0, 10), expiresOn: '2031-01-01', statusIndex: 3, statusUri: `${strasbourg.url}/v1/status-list`, issuer: strasbourg.url };
    const forged = await issueCardQrText(claims as never, signer(attacker));
    const answer = await verifyIn(palermo, forged);
    expect(answer.result).toBe('invalid_signature');
    expect(answer.genuine).toBeUndefined();
    // Berlin's real key, Strasbourg's name: keys are bound to their issuer.
    const asStrasbourg = await issueCardQrText(claims as never, signer(await berlin.t.app.services.city.activeSigner()));
    expect((await verifyIn(palermo, asStrasbourg)).result).toBe('invalid_signature');
  });

  it('a revoked Strasbourg card is foreign_issuer, not genuine, with its status, once Palermo has its status list', async () => {
    const card = await issue(strasbourg.t, await enrol(strasbourg.t, { ...REFERENCE_RESIDENT, names: { printed: 'Nadia Revoked' } }));
    expect((await transition(strasbourg.t, card.number, 'revoke', 'lost')).statusCode).toBe(200);
    await syncPartner(palermo, 'fr-strasbourg');
    expect(await verifyIn(palermo, card.qr)).toMatchObject({ result: 'foreign_issuer', genuine: false, cardStatus: 'revoked', issuer: { id: 'fr-strasbourg' } });
  });
});

describe('the map of the network', () => {
  it('Strasbourg publishes its public profile (templates/network/city-profile.json) in its signed metadata', async () => {
    const { payload } = await metadataOf(strasbourg);
    expect(payload.public).toMatchObject({ website: 'https://www.strasbourg.eu', coordinates: { lat: 48.5839, lon: 7.7455 }, since: '2026-01', languages: ['fr', 'en', 'ar'] });
    expect((payload.public as { receptionActions: Record<string, string> }).receptionActions.fr).toMatch(/^Exemple/);
  });

  it('GET /v1/network (public, CORS open) lists Palermo, its partner by hand and the directory’s cities with their fields', async () => {
    const m = await metadataOf(roma);
    expect((await register(palermo, { url: roma.metadataUrl, fingerprint: m.fingerprint })).statusCode).toBe(201);
    const res = await palermo.t.app.inject({ url: '/v1/network', headers: { origin: 'https://map.example' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const body = res.json();
    expect(body.items.map((c: { id: string }) => c.id)).toEqual(['de-berlin', 'fr-strasbourg', 'it-palermo', 'it-roma']);
    const byId = Object.fromEntries(body.items.map((c: { id: string }) => [c.id, c]));
    expect(byId['it-palermo']).toMatchObject({ source: 'self', recognised: true, verified: true });
    expect(byId['it-roma']).toMatchObject({ source: 'manual', recognised: true, verified: true });
    expect(byId['fr-strasbourg']).toMatchObject({ name: 'Strasbourg', country: 'FR', source: 'directory', recognised: false, verified: true, website: 'https://www.strasbourg.eu', coordinates: { lat: 48.5839, lon: 7.7455 }, since: '2026-01' });
    expect(byId['de-berlin']).toMatchObject({ source: 'directory', verified: true });
    expect((await palermo.t.app.inject({ url: '/v1/network?country=FR' })).json().items).toHaveLength(1);
    const page = (await palermo.t.app.inject({ url: '/v1/network?limit=3' })).json();
    expect(page.items).toHaveLength(3);
    expect((await palermo.t.app.inject({ url: `/v1/network?limit=3&after=${encodeURIComponent(page.next)}` })).json().items.map((c: { id: string }) => c.id)).toEqual(['it-roma']);
    expect((await palermo.t.app.inject({ url: '/v1/network?country=fr' })).json().code).toBe('validation-failed');
  });

  it('GET /v1/network.geojson is valid RFC 7946 with a point (longitude first) for each city that publishes coordinates', async () => {
    const res = await palermo.t.app.inject({ url: '/v1/network.geojson' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const geo = checkGeoJson(res.body) as unknown as { features: Array<{ id: string; geometry: { coordinates: number[] }; properties: Record<string, unknown> }> };
    expect(geo.features.map((f) => f.id)).toEqual(['fr-strasbourg']);
    expect(geo.features[0]!.geometry.coordinates).toEqual([7.7455, 48.5839]);
    expect(geo.features[0]!.properties).toMatchObject({ name: 'Strasbourg', country: 'FR', source: 'directory' });
  });
});

describe('the directory bundle for verifier pages', () => {
  it('GET /v1/verifier-directory is gzipped when asked (the same bundle, one weak ETag for both, 304 on it)', async () => {
    const plain = await palermo.t.app.inject({ url: '/v1/verifier-directory' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const issuers = JSON.parse(Buffer.from(plain.body.split('.')[1]!, 'base64url').toString()).issuers.map((i: { id: string }) => i.id);
    expect(issuers.sort()).toEqual(['de-berlin', 'fr-strasbourg']);
    const zipped = await palermo.t.app.inject({ url: '/v1/verifier-directory', headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
    expect(zipped.headers.etag).toBe(plain.headers.etag);
    expect(String(plain.headers.etag)).toMatch(/^W\//);
    expect((await palermo.t.app.inject({ url: '/v1/verifier-directory', headers: { 'if-none-match': String(plain.headers.etag), 'accept-encoding': 'gzip' } })).statusCode).toBe(304);
    expect((await palermo.t.app.inject({ url: '/v1/verifier-directory', headers: { 'accept-encoding': 'gzip;q=0' } })).headers['content-encoding']).toBeUndefined();
  });
});

describe('rollback and dates', () => {
  it('an older directory is refused (directory-stale) and the last good copy kept; the cards still check', async () => {
    const before = await syncDirectory();
    await publishDirectory(before.iat - 3600, entries().slice(0, 1));
    const after = await syncDirectory();
    expect(after.lastError).toBe('directory-stale');
    expect(after.iat).toBe(before.iat);
    expect(after.countries.map((c: { country: string }) => c.country)).toEqual(['DE', 'FR']);
  });

  it('a directory dated years ahead is refused (directory-not-yet-valid); a real newer one is taken after it', async () => {
    await publishDirectory(now() + 5 * 365 * 86_400);
    expect((await syncDirectory()).lastError).toBe('directory-not-yet-valid');
    await publishDirectory(now() + 60);
    expect((await syncDirectory()).lastError).toBeNull();
  });

  it('a directory signed by another key is refused, the last good copy kept', async () => {
    const iat = now() + 120;
    net.override(DIRECTORY_URL, await signDirectory({ iat, exp: iat + 86_400, entries: [] }, fr.privateJwk));
    const v = await syncDirectory();
    expect(v.lastError).toBe('directory-signature-invalid');
    expect(v.countries).toHaveLength(2);
  });

  it('a national list signed by a key the directory does not name is refused for that country only', async () => {
    net.override(DE_LIST, await listFor(berlin, fr, 'DE', now() + 200));
    await publishDirectory(now() + 180);
    const v = await syncDirectory();
    expect(v.countries.find((c: { country: string }) => c.country === 'DE').lastError).toBe('trust-list-signature-invalid');
    expect(v.countries.find((c: { country: string }) => c.country === 'FR').lastError).toBeNull();
    // An older German list replayed: stale.
    net.override(DE_LIST, await listFor(berlin, de, 'DE', now() - 7200));
    expect((await syncDirectory()).countries.find((c: { country: string }) => c.country === 'DE').lastError).toBe('trust-list-stale');
  });

  it('a country dropped from the directory takes its cities with it: their cards read unknown_issuer', async () => {
    const berliner = await issue(berlin.t, await enrol(berlin.t, REFERENCE_RESIDENT));
    await publishDirectory(now() + 240, entries().slice(0, 1));
    const v = await syncDirectory();
    expect(v.countries.map((c: { country: string }) => c.country)).toEqual(['FR']);
    expect((await verifyIn(palermo, berliner.qr)).result).toBe('unknown_issuer');
    const card = await issue(strasbourg.t, await enrol(strasbourg.t, REFERENCE_RESIDENT));
    expect((await verifyIn(palermo, card.qr)).genuine).toBe(true);
  });
});
