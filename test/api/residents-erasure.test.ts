import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeEmergency } from '../../src/cli/residents-commands.js';
import type { Executor } from '../../src/db/client.js';
import { createResidentsRepository } from '../../src/modules/residents/residents-repository.js';
import { createResidentKeys } from '../../src/modules/residents/resident-keys.js';
import { createResidentsService, type ResidentCardsPort } from '../../src/modules/residents/residents-service.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { AMINA, minimal, samplePhoto } from './residents-fixtures.js';

const DAY = 86_400_000;
let now = new Date('2026-03-15T10:00:00Z');
let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(() => t.close());

const rows = async (q: string) => ((await t.database.db.execute(sql.raw(q))) as unknown as { rows: Array<Record<string, unknown>> }).rows;
const enrol = async (payload: unknown) => {
  const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: payload as object });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().resident.id as string;
};

/** The residents service with a cards port that records what it is asked, and says who holds a valid card. */
function withCards(valid: Set<string> = new Set()) {
  const calls: string[] = [];
  const cards: ResidentCardsPort = {
    revokeAllForResident: async (_tx: Executor, id, reason) => void calls.push(`revoke ${id} ${reason}`),
    residentIdsByCardNumber: async () => [],
    hasValidCard: async (_tx: Executor, id) => valid.has(id),
    minimiseForResident: async () => {},
  };
  const s = t.app.services;
  const residents = createResidentsService({ db: s.db, repo: createResidentsRepository(), audit: s.audit, keys: createResidentKeys(s.cipher), blindIndex: s.blindIndex, clock: () => now, rules: s.residents.rules, cards, cardNames: s.cardPdf });
  return { residents, calls };
}

/** The actions of the audit entries naming this target id as stored (a pseudonym, for a resident). */
const auditAt = async (target: string) => (await rows(`select action from audit_log where target_id = '${target}' order by seq`)).map((r) => r.action);
/** A resident's audit pseudonym, while the record exists. */
const pseudonymOf = async (id: string) => (await t.app.services.residents.auditPseudonym(id))!;
/** No audit entry holds the id itself, in any column. */
const rawIdInAudit = async (id: string) => (await rows(`select count(*)::int n from audit_log where target_id = '${id}' or actor_id::text = '${id}'`))[0]!.n;

describe('erasure (DELETE /v1/residents/:id)', () => {
  it('removes the record, its photo and its indexes; the audit keeps only that it happened', async () => {
    const id = await enrol(AMINA);
    await t.app.inject({ method: 'PUT', url: `/v1/residents/${id}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/jpeg' }, payload: await samplePhoto() });
    expect((await rows(`select count(*)::int n from resident_lookup where resident_id = '${id}'`))[0]!.n).toBeGreaterThan(0);
    const pseudonym = await pseudonymOf(id);
    expect(pseudonym).not.toBe(id);
    // An administrator asks who did what to this record: the service computes its pseudonym.
    const byRecord = async () => (await t.app.inject({ url: `/v1/audit?resident=${id}`, headers: t.auth('admin') })).json().items.map((e: { action: string }) => e.action);
    expect(await byRecord()).toEqual(['resident.photo_set', 'resident.create']);

    const stale = await t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const del = await t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: t.auth('clerk') });
    expect(del.statusCode).toBe(204);

    expect((await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/v1/residents/${id}/photo`, headers: t.auth('clerk') })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/residents?q=amina', headers: t.auth('clerk') })).json().items).toEqual([]);
    for (const table of ['residents where id', 'resident_lookup where resident_id', 'resident_photos where resident_id', 'resident_keys where resident_id']) {
      expect((await rows(`select count(*)::int n from ${table} = '${id}'`))[0]!.n).toBe(0);
    }
    // The audit tells that a record was made, photographed and erased — under a pseudonym
    // that only the destroyed key could compute: nothing leads from the id to these entries.
    expect(await auditAt(pseudonym)).toEqual(['resident.create', 'resident.photo_set', 'resident.erase']);
    expect(await rawIdInAudit(id)).toBe(0);
    expect(await t.app.services.residents.auditPseudonym(id)).toBeUndefined();
    expect(await byRecord()).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: t.auth('clerk') })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('admin') })).json().ok).toBe(true);
  });

  it('revokes every card of the resident, in the same transaction', async () => {
    const { residents, calls } = withCards();
    const id = await enrol(minimal());
    await residents.erase({ type: 'clerk', id: t.ids.clerk }, id, undefined);
    expect(calls).toEqual([`revoke ${id} erasure`]);
  });

  it('if revoking the cards fails, nothing is erased', async () => {
    const s = t.app.services;
    const failing = createResidentsService({
      db: s.db, repo: createResidentsRepository(), audit: s.audit, keys: createResidentKeys(s.cipher), blindIndex: s.blindIndex, clock: () => now, rules: s.residents.rules, cardNames: s.cardPdf,
      cards: { revokeAllForResident: async () => { throw new Error('status list unavailable'); }, residentIdsByCardNumber: async () => [], hasValidCard: async () => false, minimiseForResident: async () => {} },
    });
    const id = await enrol(minimal());
    await expect(failing.erase({ type: 'clerk', id: t.ids.clerk }, id, undefined)).rejects.toThrow('status list unavailable');
    expect((await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).statusCode).toBe(200);
    expect(await auditAt(await pseudonymOf(id))).toEqual(['resident.create', 'resident.read']);
  });
});

describe('purge:expired (retention)', () => {
  it("erases records whose last card expired past the city's retention period, and idle records never carded", async () => {
    const { residents, calls } = withCards();
    const retention = residents.rules.city.retentionDaysAfterLastCard;
    const expiredLongAgo = await enrol(minimal({ names: { printed: 'Long Gone' } }));
    const expiredRecently = await enrol(minimal({ names: { printed: 'Recent Expiry' } }));
    const stillValid = await enrol(minimal({ names: { printed: 'Still Valid' } }));
    const neverCarded = await enrol(minimal({ names: { printed: 'Never Carded' } }));
    const set = (id: string, at: Date) => t.database.db.execute(sql`update residents set last_card_expires_at = ${at.toISOString()}::timestamptz where id = ${id}`);
    const later = new Date(now.getTime() + (retention + 30) * DAY);
    await set(expiredLongAgo, new Date(now.getTime() - 2 * DAY));
    await set(expiredRecently, new Date(later.getTime() - 10 * DAY));
    await set(stillValid, new Date(later.getTime() + 100 * DAY));
    const before = now;
    now = later;
    try {
      // A record touched recently is kept even without a card.
      const touched = await enrol(minimal({ names: { printed: 'Fresh Enrolment' } }));
      const gonePseudonym = await pseudonymOf(expiredLongAgo);
      const result = await residents.purgeExpired();
      // Records left idle by the tests above go too.
      expect(result.erased).toBeGreaterThanOrEqual(2);
      const left = (await rows('select id from residents')).map((r) => r.id);
      expect(left).not.toContain(expiredLongAgo);
      expect(left).not.toContain(neverCarded);
      expect(left).toEqual(expect.arrayContaining([expiredRecently, stillValid, touched]));
      expect(calls).toEqual(expect.arrayContaining([`revoke ${expiredLongAgo} retention`, `revoke ${neverCarded} retention`]));
      expect(calls).toHaveLength(result.erased);
      expect(await auditAt(gonePseudonym)).toEqual(['resident.create', 'resident.erase']);
      expect(await rawIdInAudit(expiredLongAgo)).toBe(0);
      // Idempotent.
      expect((await residents.purgeExpired()).erased).toBe(0);
    } finally {
      now = before;
    }
  });
});

describe('purge:emergency', () => {
  it('refuses to run without --yes', async () => {
    expect(await purgeEmergency.run(t.config, [])).toBe(2);
  });

  it('erases every resident without a valid card and strips the others to what their card prints', async () => {
    const holder = await enrol({ ...AMINA, names: { ...AMINA.names, printed: 'Card Holder' }, gender: { selfDescribed: 'woman', marker: 'F', printMarker: true }, address: { line1: '1 rue A', locality: 'Testville' }, addressConfidential: true });
    await t.app.inject({ method: 'PUT', url: `/v1/residents/${holder}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/jpeg' }, payload: await samplePhoto() });
    const others = [await enrol(minimal({ names: { printed: 'No Card One' } })), await enrol(minimal({ names: { printed: 'No Card Two' } }))];
    const { residents } = withCards(new Set([holder]));
    const pseudonyms = await Promise.all(others.map(pseudonymOf));
    const holderBefore = await pseudonymOf(holder);
    let total = -1;
    let progress = 0;
    const result = await residents.purgeEmergency({ onStart: (n) => (total = n), onProgress: (n) => (progress = n) });
    expect(result.minimised).toBe(1);
    expect(total).toBe(result.erased + result.minimised);
    expect(progress).toBe(total);
    expect((await rows('select id from residents')).map((r) => r.id)).toEqual([holder]);
    for (const p of pseudonyms) expect(await auditAt(p)).toEqual(['resident.create', 'resident.erase']);
    for (const id of [...others, holder]) expect(await rawIdInAudit(id)).toBe(0);

    const kept = (await t.app.inject({ url: `/v1/residents/${holder}`, headers: t.auth('clerk') })).json();
    expect(kept).toMatchObject({
      names: { printed: 'Card Holder' },
      birthDate: AMINA.birthDate,
      gender: { marker: 'F', printMarker: true },
      address: null,
      addressConfidential: false,
      languages: [],
      evidence: { items: [] },
      hasPhoto: true,
      preferredLanguage: 'ar',
    });
    expect(kept.names.legal).toBeUndefined();
    expect(kept.gender.selfDescribed).toBeUndefined();
    // No search index survives: nobody can look a holder up by name.
    expect((await rows('select count(*)::int n from resident_lookup'))[0]!.n).toBe(0);
    expect((await rows(`select action from audit_log where action = 'residents.purge_emergency'`))).toHaveLength(1);
    // The kept record got a new key: its history before the purge no longer leads back to it either.
    expect(await auditAt(await pseudonymOf(holder))).toEqual(['resident.minimise', 'resident.read']);
    expect(await pseudonymOf(holder)).not.toBe(holderBefore);
    expect(await auditAt(holderBefore)).toEqual(['resident.create', 'resident.photo_set']);
    expect((await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('admin') })).json().ok).toBe(true);
  });
});

describe('erasures under concurrency', () => {
  it('many simultaneous erasures and reads: every erasure lands, every other record stays readable, one key per survivor', async () => {
    const doomed = await Promise.all(Array.from({ length: 12 }, (_, i) => enrol(minimal({ names: { printed: `Doomed ${i}` } }))));
    const staying = await Promise.all(Array.from({ length: 6 }, (_, i) => enrol(minimal({ names: { printed: `Staying ${i}` } }))));
    const answers = await Promise.all([
      ...doomed.map((id) => t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: t.auth('clerk') })),
      // Reads race the key table's rewrites: a read that began before one must still find its key.
      ...staying.flatMap((id) => [0, 1, 2].map(() => t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') }))),
    ]);
    const [deletes, reads] = [answers.slice(0, doomed.length), answers.slice(doomed.length)];
    for (const d of deletes) expect(d.statusCode, d.body).toBe(204);
    for (const r of reads) {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().names.printed).toMatch(/^Staying \d$/);
    }
    const keyed = new Set((await rows('select resident_id from resident_keys')).map((r) => r.resident_id));
    for (const id of doomed) expect(keyed.has(id)).toBe(false);
    for (const id of staying) expect(keyed.has(id)).toBe(true);
    expect((await rows('select count(*)::int n from residents r where not exists (select 1 from resident_keys k where k.resident_id = r.id)'))[0]!.n).toBe(0);
    expect((await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('admin') })).json().ok).toBe(true);
  });
});
