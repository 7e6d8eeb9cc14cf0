import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { AMINA, minimal, samplePhoto } from './residents-fixtures.js';

let t: TestContext;
const NOW = new Date('2026-03-15T10:00:00Z');
beforeAll(async () => {
  t = await createTestApp({ clock: () => NOW });
});
afterAll(() => t.close());

const enrol = (payload: unknown) => t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: payload as object });

describe('enrolment', () => {
  it('enrols the DESIGN.md example and gives it back, with an ETag', async () => {
    const res = await enrol(AMINA);
    expect(res.statusCode, res.body).toBe(201);
    const { resident, possibleDuplicates } = res.json();
    expect(possibleDuplicates).toEqual([]);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/v1/residents/${resident.id}`);
    expect(resident).toMatchObject({
      names: AMINA.names,
      birthDate: '1990-04',
      gender: AMINA.gender,
      address: AMINA.address,
      addressConfidential: false,
      preferredLanguage: 'ar',
      languages: ['ar', 'fr'],
      hasPhoto: false,
      version: 1,
      lastCardExpiresAt: null,
    });
    expect(resident.evidence.rulesVersion).toMatch(/./);
    expect(resident.evidence.items).toEqual([
      { type: 'consular-id', seenBy: t.ids.clerk, seenAt: NOW.toISOString() },
      { type: 'shelter-letter', seenBy: t.ids.clerk, seenAt: NOW.toISOString() },
    ]);

    const got = await t.app.inject({ url: `/v1/residents/${resident.id}`, headers: t.auth('clerk') });
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.json()).toEqual(resident);
  });

  it('accepts a mononym, an unknown birth date and no gender at all', async () => {
    const res = await enrol({ names: { printed: 'Kwame' }, birthDate: null, preferredLanguage: 'fr', evidence: [{ type: 'passport' }, { type: 'lease' }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().resident).toMatchObject({ names: { printed: 'Kwame' }, birthDate: null, gender: { printMarker: false }, address: null });
  });

  it('normalises names to NFC and collapses spaces', async () => {
    const res = await enrol(minimal({ names: { printed: '  Jose\u0301   Mari\u0301a\u00a0Pe\u0301rez ' } }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().resident.names.printed).toBe('José María Pérez');
  });

  it('keeps ZWNJ inside a Persian name', async () => {
    const name = 'می\u200Cخواهم';
    const res = await enrol(minimal({ names: { printed: name } }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().resident.names.printed).toBe(name);
  });

  it('accepts a street address, kept confidential', async () => {
    const res = await enrol(minimal({ address: { line1: '12 rue des Lilas', line2: 'Bât. B', postalCode: '67000', locality: 'Strasbourg' }, addressConfidential: true }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().resident).toMatchObject({ address: { line1: '12 rue des Lilas', line2: 'Bât. B', postalCode: '67000', locality: 'Strasbourg' }, addressConfidential: true });
  });

  it('enrols a child with a guardian present', async () => {
    const res = await enrol(minimal({ birthDate: '2019-06-01', guardianPresent: true, evidence: [{ type: 'birth-certificate' }, { type: 'passport' }, { type: 'school-letter' }] }));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('reports possible duplicates (same name and birth date) without refusing', async () => {
    const first = await enrol(minimal({ names: { printed: 'Lena Novak' }, birthDate: '1985-02-03' }));
    const second = await enrol(minimal({ names: { printed: 'LÉNA  novak' }, birthDate: '1985-02-03' }));
    expect(second.statusCode).toBe(201);
    expect(second.json().possibleDuplicates).toEqual([expect.objectContaining({ id: first.json().resident.id, names: { printed: 'Lena Novak' }, birthDate: '1985-02-03' })]);
    const other = await enrol(minimal({ names: { printed: 'Lena Novak' }, birthDate: '1985-02-04' }));
    expect(other.json().possibleDuplicates).toEqual([]);
  });

  it('audits the enrolment by id only', async () => {
    const res = await enrol(minimal({ names: { printed: 'Audit Person' } }));
    const id = res.json().resident.id;
    const audit = await t.app.inject({ url: '/v1/audit?action=resident.create', headers: t.auth('admin') });
    // The resident's id itself is never stored: a pseudonym only their key computes stands for it.
    const pseudonym = await t.app.services.residents.auditPseudonym(id);
    expect(audit.json().items.some((e: { targetId: string; actorId: string }) => e.targetId === pseudonym && e.actorId === t.ids.clerk)).toBe(true);
    expect(audit.json().items.some((e: { targetId: string }) => e.targetId === id)).toBe(false);
  });
});

describe('evidence rules', () => {
  it('lists the document types with their points', async () => {
    const res = await t.app.inject({ url: '/v1/evidence-rules', headers: t.auth('clerk') });
    expect(res.statusCode).toBe(200);
    const types = res.json().documents.map((d: { type: string }) => d.type);
    expect(types).toEqual(expect.arrayContaining(['passport', 'consular-id', 'foreign-national-id', 'birth-certificate', 'utility-bill', 'lease', 'shelter-letter', 'school-letter', 'clinic-letter']));
    expect(res.json().requirements).toMatchObject({ identityPoints: expect.any(Number), residencyPoints: expect.any(Number) });
  });
});

describe('edits', () => {
  it('merges a PATCH, bumps the version and the ETag; null removes a value', async () => {
    const id = (await enrol(AMINA)).json().resident.id;
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/v1/residents/${id}`,
      headers: { ...t.auth('clerk'), 'if-match': '"1"', 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ names: { legal: null }, gender: { marker: 'F', printMarker: true, pronouns: null }, languages: ['ar'] }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    const r = res.json();
    expect(r.version).toBe(2);
    expect(r.names).toEqual({ printed: 'Amina Haddad', original: 'أمينة حداد', transliteration: 'Amina Haddad' });
    expect(r.gender).toEqual({ selfDescribed: 'non-binary', marker: 'F', printMarker: true });
    expect(r.languages).toEqual(['ar']);
    expect(r.address).toEqual(AMINA.address);
  });
});

describe('search', () => {
  it('finds by any name token, accent- and case-insensitively, and narrows by birth date', async () => {
    const a = (await enrol(minimal({ names: { printed: 'Zoé Martín', original: 'Зоя Мартин', transliteration: 'Zoya Martin' }, birthDate: '1970-07-07' }))).json().resident.id;
    const b = (await enrol(minimal({ names: { printed: 'Zoe Martin-Lopez' }, birthDate: '1971' }))).json().resident.id;
    const search = async (qs: string) => (await t.app.inject({ url: `/v1/residents?${qs}`, headers: t.auth('clerk') })).json();
    expect(search('q=martin').then((r) => r.items.map((i: { id: string }) => i.id).sort())).resolves.toEqual([a, b].sort());
    expect((await search('q=ZOE%20MARTIN')).items.map((i: { id: string }) => i.id).sort()).toEqual([a, b].sort());
    // Мартин sounds like Martin (transliteration-tolerant search, name-search.ts): both.
    expect((await search(`q=${encodeURIComponent('Мартин')}`)).items.map((i: { id: string }) => i.id).sort()).toEqual([a, b].sort());
    expect((await search('q=zoe&birthDate=1970-07')).items.map((i: { id: string }) => i.id)).toEqual([a]);
    expect((await search('q=zoe&birthDate=1971-05-01')).items.map((i: { id: string }) => i.id)).toEqual([b]);
    expect((await search('q=nobody')).items).toEqual([]);
  });

  it('pages with next/after', async () => {
    for (let i = 0; i < 5; i++) await enrol(minimal({ names: { printed: `Pager Person${i}` } }));
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: { json(): { items: Array<{ id: string }>; next: string | null } } = await t.app.inject({ url: `/v1/residents?q=pager&limit=2${after ? `&after=${after}` : ''}`, headers: t.auth('clerk') });
      const body = res.json();
      seen.push(...body.items.map((i) => i.id));
      after = body.next;
    } while (after);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });
});

describe('photo', () => {
  it('re-encodes to a JPEG at card size without metadata; clerks read it back', async () => {
    const id = (await enrol(minimal())).json().resident.id;
    const put = await t.app.inject({ method: 'PUT', url: `/v1/residents/${id}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/png' }, payload: await samplePhoto('png', 1200, 1500) });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().hasPhoto).toBe(true);
    expect(put.headers.etag).toBe('"2"');
    const get = await t.app.inject({ url: `/v1/residents/${id}/photo`, headers: t.auth('clerk') });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(get.rawPayload).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 600, height: 750 });
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
  });

  it('strips EXIF from a JPEG and keeps a small photo small', async () => {
    const id = (await enrol(minimal())).json().resident.id;
    const original = await samplePhoto('jpeg', 300, 400);
    expect(original.includes('SECRET-EXIF-MARKER')).toBe(true);
    await t.app.inject({ method: 'PUT', url: `/v1/residents/${id}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/jpeg' }, payload: original });
    const get = await t.app.inject({ url: `/v1/residents/${id}/photo`, headers: t.auth('clerk') });
    expect(get.rawPayload.includes('SECRET-EXIF-MARKER')).toBe(false);
    expect(await sharp(get.rawPayload).metadata()).toMatchObject({ width: 300, height: 400 });
  });
});
