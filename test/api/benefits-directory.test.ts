/** The public directory: no account, open CORS, ETag and 304, filters, pagination, GeoJSON. */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createOffer, createPartner } from './benefits-fixtures.js';

let t: TestContext;
let museum: string;
let bank: string;
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date('2027-03-10T09:00:00Z') });
  museum = (await createPartner(t)).id;
  bank = (await createPartner(t, { name: 'Banque du Rhin', category: 'finance', languages: ['fr', 'ar'], acceptsCardAsId: true, description: { fr: 'Ouvre un compte avec la carte' }, addresses: [{ line1: '1 quai', locality: 'Testville' }] })).id;
  await createPartner(t, { name: 'Bibliothèque Malraux', category: 'library', languages: ['fr', 'es'], addresses: [{ line1: '1 presqu’île', locality: 'Testville', lat: 48.57, lon: 7.76 }, { line1: '5 rue', locality: 'Testville', lat: 48.59, lon: 7.74 }] });
  for (let i = 0; i < 5; i++) await createPartner(t, { name: `Club sportif ${i}`, category: 'sport', addresses: [] });
  await createOffer(t, museum, { title: { fr: 'Entrée gratuite', en: 'Free entry' } });
  await createOffer(t, museum, { title: { en: 'Guided tour' }, kind: 'service', limit: { per: 'none' }, description: { fr: 'Visite en arabe le samedi' } });
  await createOffer(t, bank, { title: { fr: 'Compte sans frais' }, kind: 'discount', limit: { per: 'once' } });
  await createOffer(t, bank, { title: { en: 'Expired' }, kind: 'other', validUntil: '2027-03-09' });
});
afterAll(() => t.close());

describe('public directory routes', () => {
  it.each(['/v1/partners', '/v1/offers', '/v1/partners.geojson'])('%s: open CORS, ETag, 304 on If-None-Match, a new ETag after a change', async (url) => {
    const res = await t.app.inject({ url, headers: { origin: 'https://map.example.org' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, no-cache');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await t.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await t.app.inject({ url, headers: { 'if-none-match': `W/${etag}` } })).statusCode).toBe(304);
    expect((await t.app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
    const p = await createPartner(t, { name: `Zoo ${url}`, addresses: [{ line1: 'x', locality: 'T', lat: 1, lon: 2 }] });
    if (url === '/v1/offers') await createOffer(t, p.id);
    const changed = await t.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    await t.app.inject({ method: 'DELETE', url: `/v1/partners/${p.id}`, headers: t.auth('admin') });
  });

  it('gzips a document to a client that accepts it, the same bytes as plain; offers name the city’s fallback language', async () => {
    const plain = await t.app.inject({ url: '/v1/offers?limit=500' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json().cityLanguage).toBe('fr');
    const gz = await t.app.inject({ url: '/v1/offers?limit=500', headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toContain('accept-encoding');
    expect(gz.headers.etag).toBe(plain.headers.etag);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect((await t.app.inject({ url: '/v1/offers?limit=500', headers: { 'accept-encoding': 'gzip;q=0' } })).headers['content-encoding']).toBeUndefined();
  });

  it('filters partners by category, counter language, text and acceptance as ID', async () => {
    const names = async (q: string) => (await t.app.inject(`/v1/partners?${q}`)).json().items.map((p: { name: string }) => p.name);
    expect(await names('category=finance')).toEqual(['Banque du Rhin']);
    expect(await names('language=es')).toEqual(['Bibliothèque Malraux']);
    expect(await names('language=fr&category=library')).toEqual(['Bibliothèque Malraux']);
    expect(await names('q=compte')).toEqual(['Banque du Rhin']);
    expect(await names('q=BEAUX-arts')).toEqual(['Musée des Beaux-Arts']);
    expect(await names(`q=${encodeURIComponent('bibliothèque')}`)).toEqual(['Bibliothèque Malraux']);
    expect(await names('q=100%25')).toEqual([]);
    expect(await names('acceptsCardAsId=true')).toEqual(['Banque du Rhin']);
    const bankRow = (await t.app.inject('/v1/partners?acceptsCardAsId=true')).json().items[0];
    expect(bankRow.acceptanceConfirmedOn).toBe('2027-03-10');
  });

  it('paginates with limit and offset and says the total', async () => {
    const first = (await t.app.inject('/v1/partners?category=sport&limit=2')).json();
    expect(first).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect(first.items.map((p: { name: string }) => p.name)).toEqual(['Club sportif 0', 'Club sportif 1']);
    const last = (await t.app.inject('/v1/partners?category=sport&limit=2&offset=4')).json();
    expect(last.items.map((p: { name: string }) => p.name)).toEqual(['Club sportif 4']);
  });

  it('lists offers valid today or later, with their partner, filtered by kind, text and partner', async () => {
    const all = (await t.app.inject('/v1/offers')).json();
    expect(all.items.map((o: { title: Record<string, string> }) => (o.title.fr ?? o.title.en))).toEqual(['Compte sans frais', 'Entrée gratuite', 'Guided tour']);
    expect(all.items[0]).toMatchObject({ partner: { name: 'Banque du Rhin', category: 'finance' }, kind: 'discount', limit: { per: 'once' } });
    const titles = async (q: string) => (await t.app.inject(`/v1/offers?${q}`)).json().items.map((o: { title: Record<string, string> }) => (o.title.fr ?? o.title.en));
    expect(await titles('kind=service')).toEqual(['Guided tour']);
    expect(await titles('q=arabe')).toEqual(['Guided tour']);
    expect(await titles(`partner=${bank}`)).toEqual(['Compte sans frais']);
    expect(await titles('category=culture&language=ar')).toEqual([]);
    expect(await titles('language=ar')).toEqual(['Compte sans frais']);
  });

  it('maps every address with coordinates, longitude first', async () => {
    const res = await t.app.inject('/v1/partners.geojson?category=library');
    expect(res.headers['content-type']).toContain('application/geo+json');
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates)).toEqual([[7.76, 48.57], [7.74, 48.59]]);
    expect(fc.features[0].properties).toMatchObject({ name: 'Bibliothèque Malraux', category: 'library', acceptsCardAsId: false });
    expect((await t.app.inject('/v1/partners.geojson?category=finance')).json().features).toEqual([]);
  });

  it.each([
    ['/v1/partners?category=casino', '/category'],
    ['/v1/partners?limit=0', '/limit'],
    ['/v1/partners?limit=501', '/limit'],
    ['/v1/partners?language=French', '/language'],
    ['/v1/offers?kind=lottery', '/kind'],
    ['/v1/offers?partner=museum', '/partner'],
    ['/v1/offers?secret=1', ''],
  ])('%s → 400 validation-failed', async (url, path) => {
    const res = await t.app.inject(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation-failed');
    if (path) expect(JSON.stringify(res.json().errors)).toContain(path);
  });
});
