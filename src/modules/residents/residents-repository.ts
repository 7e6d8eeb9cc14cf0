/** The only code that touches residents, resident_lookup and resident_photos (and reads resident_keys beside a photo). */
import { and, asc, count, eq, gt, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { residentKeys, residentLookup, residentPhotos, residents } from './residents-tables.js';

export type ResidentRow = typeof residents.$inferSelect;
export type PhotoRow = typeof residentPhotos.$inferSelect;
/** Blind index kinds (residents-tables.ts, name-search.ts). */
export type LookupKind = 'token' | 'name_birth' | 'birth_year' | 'prefix' | 'phonetic';

export function createResidentsRepository() {
  return {
    async insert(db: Executor, row: typeof residents.$inferInsert): Promise<ResidentRow> {
      const [created] = await db.insert(residents).values(row).returning();
      return created!;
    },
    async byId(db: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<ResidentRow | undefined> {
      const q = db.select().from(residents).where(eq(residents.id, id));
      const [row] = opts.forUpdate ? await q.for('update') : await q;
      return row;
    },
    async byIds(db: Executor, ids: string[]): Promise<ResidentRow[]> {
      if (ids.length === 0) return [];
      return db.select().from(residents).where(inArray(residents.id, ids)).orderBy(asc(residents.id));
    },
    async update(db: Executor, id: string, patch: Partial<typeof residents.$inferInsert>): Promise<ResidentRow> {
      const [row] = await db.update(residents).set(patch).where(eq(residents.id, id)).returning();
      return row!;
    },
    /** Deletes the record; its look-ups and photo go with it (ON DELETE CASCADE). */
    async delete(db: Executor, id: string): Promise<boolean> {
      const gone = await db.delete(residents).where(eq(residents.id, id)).returning({ id: residents.id });
      return gone.length > 0;
    },
    async count(db: Executor): Promise<number> {
      const [r] = await db.select({ n: count() }).from(residents);
      return r!.n;
    },

    async insertMany(db: Executor, rows: Array<typeof residents.$inferInsert>): Promise<void> {
      if (rows.length) await db.insert(residents).values(rows);
    },
    /** Look-ups of many new records, in one statement (unnest: drizzle's multi-row VALUES is slow at this size). */
    async insertLookupsMany(db: Executor, rows: Array<{ residentId: string; kind: LookupKind; value: string }>): Promise<void> {
      if (rows.length === 0) return;
      const arr = (xs: string[]) => `{${xs.join(',')}}`;
      await db.execute(sql`
        insert into resident_lookup (resident_id, kind, value)
        select * from unnest(${arr(rows.map((r) => r.residentId))}::uuid[], ${arr(rows.map((r) => r.kind))}::text[], ${arr(rows.map((r) => r.value))}::text[])
        on conflict do nothing`);
    },
    /** Look-ups of a record that has none yet (a new enrolment): no delete needed. */
    async insertLookups(db: Executor, residentId: string, entries: Array<{ kind: LookupKind; value: string }>): Promise<void> {
      if (entries.length) await db.insert(residentLookup).values(entries.map((e) => ({ residentId, ...e }))).onConflictDoNothing();
    },
    async replaceLookups(db: Executor, residentId: string, entries: Array<{ kind: LookupKind; value: string }>): Promise<void> {
      await db.delete(residentLookup).where(eq(residentLookup.residentId, residentId));
      if (entries.length) await db.insert(residentLookup).values(entries.map((e) => ({ residentId, ...e }))).onConflictDoNothing();
    },
    async deleteLookups(db: Executor, residentId: string): Promise<void> {
      await db.delete(residentLookup).where(eq(residentLookup.residentId, residentId));
    },
    /** Residents (other than `except`) holding any of these `name_birth` indexes. */
    async sharingNameBirth(db: Executor, values: string[], except: string): Promise<string[]> {
      if (values.length === 0) return [];
      const rows = await db
        .selectDistinct({ id: residentLookup.residentId })
        .from(residentLookup)
        .where(and(eq(residentLookup.kind, 'name_birth'), inArray(residentLookup.value, values), sql`${residentLookup.residentId} <> ${except}`))
        .orderBy(asc(residentLookup.residentId))
        .limit(20);
      return rows.map((r) => r.id);
    },
    /**
     * Ids of residents that hold, for every group, at least one of its
     * indexes (a query token's alternatives: whole token, prefix, phonetic),
     * and the birth-year index when given; in id order after `after`, at most `limit`.
     */
    async search(db: Executor, q: { groups: Array<Array<{ kind: LookupKind; value: string }>>; birthYear?: string; ids?: string[]; after?: string; limit: number }): Promise<string[]> {
      const groups = q.birthYear ? [...q.groups, [{ kind: 'birth_year' as const, value: q.birthYear }]] : q.groups;
      const one = (w: { kind: string; value: string }) => and(eq(residentLookup.kind, w.kind), eq(residentLookup.value, w.value));
      const conds = [or(...groups.flat().map(one))];
      if (q.after) conds.push(gt(residentLookup.residentId, q.after));
      if (q.ids) conds.push(q.ids.length ? inArray(residentLookup.residentId, q.ids) : sql`false`);
      const every = sql.join(
        groups.map((g) => sql`bool_or(${or(...g.map(one))})`),
        sql` and `,
      );
      const rows = await db
        .select({ id: residentLookup.residentId })
        .from(residentLookup)
        .where(and(...conds))
        .groupBy(residentLookup.residentId)
        .having(every)
        .orderBy(asc(residentLookup.residentId))
        .limit(q.limit);
      return rows.map((r) => r.id);
    },

    /** How many index rows a record has, by kind (tests and the README's figures). */
    async lookupCounts(db: Executor, residentId: string): Promise<Record<string, number>> {
      const rows = await db.select({ kind: residentLookup.kind, n: count() }).from(residentLookup).where(eq(residentLookup.residentId, residentId)).groupBy(residentLookup.kind);
      return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
    },

    async photo(db: Executor, residentId: string): Promise<PhotoRow | undefined> {
      const [row] = await db.select().from(residentPhotos).where(eq(residentPhotos.residentId, residentId));
      return row;
    },
    /**
     * A reader of the sealed photo and sealed data key of the resident
     * `holder` selects — a scalar subquery with placeholders, e.g. a card's
     * holder — built and prepared once: each read is one statement (a
     * verifier's check with the photo). A record without a key row has no
     * answer here (a card's holder always has one: its credential is sealed with it).
     */
    photoWithKeyOf(db: Executor, holder: SQL, name: string): (params: Record<string, unknown>) => Promise<{ residentId: string; photo: Buffer; key: Buffer } | undefined> {
      const query = db
        .select({ residentId: residentPhotos.residentId, photo: residentPhotos.photo, key: residentKeys.key })
        .from(residentPhotos)
        .innerJoin(residentKeys, eq(residentKeys.residentId, residentPhotos.residentId))
        .where(eq(residentPhotos.residentId, holder))
        .prepare(name);
      return async (params) => (await query.execute(params))[0];
    },
    async hasPhoto(db: Executor, residentId: string): Promise<boolean> {
      const [row] = await db.select({ id: residentPhotos.residentId }).from(residentPhotos).where(eq(residentPhotos.residentId, residentId));
      return row !== undefined;
    },
    async upsertPhoto(db: Executor, row: { residentId: string; photo: Buffer; width: number; height: number; at: Date }): Promise<void> {
      await db
        .insert(residentPhotos)
        .values({ residentId: row.residentId, photo: row.photo, width: row.width, height: row.height, createdAt: row.at, updatedAt: row.at })
        .onConflictDoUpdate({ target: residentPhotos.residentId, set: { photo: row.photo, width: row.width, height: row.height, updatedAt: row.at } });
    },

    /** Residents past retention: last card expired before `cutoff`, or no card and unchanged since before it. */
    async expiredIds(db: Executor, cutoff: Date, limit: number): Promise<string[]> {
      const rows = await db
        .select({ id: residents.id })
        .from(residents)
        .where(or(and(isNotNull(residents.lastCardExpiresAt), lt(residents.lastCardExpiresAt, cutoff)), and(isNull(residents.lastCardExpiresAt), lt(residents.updatedAt, cutoff))))
        .orderBy(asc(residents.id))
        .limit(limit);
      return rows.map((r) => r.id);
    },
    /** All resident ids after `after`, in id order. */
    /** Sets last_card_expires_at of many residents in one statement. */
    async setLastCardExpiryMany(db: Executor, updates: Array<{ id: string; expiresAt: Date }>): Promise<void> {
      if (updates.length === 0) return;
      await db.execute(sql`
        update residents r set last_card_expires_at = u.at
        from unnest(${`{${updates.map((u) => u.id).join(',')}}`}::uuid[], ${`{${updates.map((u) => `"${u.expiresAt.toISOString()}"`).join(',')}}`}::timestamptz[]) as u(id, at)
        where r.id = u.id`);
    },
    async idsAfter(db: Executor, after: string | undefined, limit: number): Promise<string[]> {
      const rows = await db
        .select({ id: residents.id })
        .from(residents)
        .where(after ? gt(residents.id, after) : undefined)
        .orderBy(asc(residents.id))
        .limit(limit);
      return rows.map((r) => r.id);
    },
  };
}

export type ResidentsRepository = ReturnType<typeof createResidentsRepository>;
