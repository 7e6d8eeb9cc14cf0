/** The only code that touches cards and status_list_state. */
import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { pgArray } from '../../db/pg-array.js';
import { cards, statusListState } from './cards-tables.js';

export type CardRow = typeof cards.$inferSelect;

export function createCardsRepository() {
  return {
    async insert(db: Executor, row: typeof cards.$inferInsert): Promise<CardRow> {
      const [created] = await db.insert(cards).values(row).returning();
      return created!;
    },
    /** Many new active cards in one statement (bulk issuance). */
    async insertMany(
      db: Executor,
      rows: Array<{ id: string; numberIndex: string; residentId: string; statusIndex: number; kid: string; issuedAt: Date; expiresOn: string; credential: Buffer; claimCodeHash: string; claimCodeExpiresAt: Date }>,
    ): Promise<void> {
      if (rows.length === 0) return;
      const col = <T>(f: (r: (typeof rows)[number]) => T) => pgArray(rows.map((r) => f(r) as string | number));
      await db.execute(sql`
        insert into cards (id, number_index, resident_id, state, status_index, kid, issued_at, expires_on, credential, claim_code_hash, claim_code_expires_at)
        select id, ni, rid, 'active', si, kid, ia, eo, decode(cred, 'hex'), cc, ce
        from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.numberIndex)}::text[], ${col((r) => r.residentId)}::uuid[], ${col((r) => r.statusIndex)}::int[],
          ${col((r) => r.kid)}::text[], ${col((r) => r.issuedAt.toISOString())}::timestamptz[], ${col((r) => r.expiresOn)}::date[],
          ${col((r) => r.credential.toString('hex'))}::text[], ${col((r) => r.claimCodeHash)}::text[], ${col((r) => r.claimCodeExpiresAt.toISOString())}::timestamptz[])
          as u(id, ni, rid, si, kid, ia, eo, cred, cc, ce)`);
    },
    /** Of these residents, the ones that hold a live card. */
    async residentsWithLiveCard(db: Executor, residentIds: string[]): Promise<Set<string>> {
      if (residentIds.length === 0) return new Set();
      const rows = await db
        .select({ id: cards.residentId })
        .from(cards)
        .where(and(inArray(cards.residentId, residentIds), inArray(cards.state, ['active', 'suspended'])));
      return new Set(rows.map((r) => r.id!));
    },
    async allStatusIndexes(db: Executor): Promise<Int32Array> {
      const rows = await db.select({ i: cards.statusIndex }).from(cards);
      return Int32Array.from(rows, (r) => r.i);
    },
    async numberIndexesTaken(db: Executor, indexes: string[]): Promise<Set<string>> {
      if (indexes.length === 0) return new Set();
      const rows = await db.select({ n: cards.numberIndex }).from(cards).where(inArray(cards.numberIndex, indexes));
      return new Set(rows.map((r) => r.n));
    },
    async byNumberIndex(db: Executor, numberIndex: string, opts: { forUpdate?: boolean } = {}): Promise<CardRow | undefined> {
      const q = db.select().from(cards).where(eq(cards.numberIndex, numberIndex));
      const [row] = opts.forUpdate ? await q.for('update') : await q;
      return row;
    },
    /** The holder of the card with this number index, as a scalar subquery (null once erased, none when there is no such card). */
    holderOfNumberIndex(numberIndex: unknown): SQL {
      return sql`(select ${cards.residentId} from ${cards} where ${cards.numberIndex} = ${numberIndex})`;
    },
    async byId(db: Executor, id: string): Promise<CardRow | undefined> {
      const [row] = await db.select().from(cards).where(eq(cards.id, id));
      return row;
    },
    async forResident(db: Executor, residentId: string, opts: { forUpdate?: boolean } = {}): Promise<CardRow[]> {
      const q = db.select().from(cards).where(eq(cards.residentId, residentId)).orderBy(cards.issuedAt);
      return opts.forUpdate ? q.for('update') : q;
    },
    async numberIndexTaken(db: Executor, numberIndex: string): Promise<boolean> {
      const [row] = await db.select({ id: cards.id }).from(cards).where(eq(cards.numberIndex, numberIndex));
      return row !== undefined;
    },
    async indexesTaken(db: Executor, indexes: number[]): Promise<Set<number>> {
      if (indexes.length === 0) return new Set();
      const rows = await db.select({ i: cards.statusIndex }).from(cards).where(inArray(cards.statusIndex, indexes));
      return new Set(rows.map((r) => r.i));
    },
    async count(db: Executor): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(cards);
      return row!.n;
    },
    async update(db: Executor, id: string, patch: Partial<typeof cards.$inferInsert>): Promise<CardRow> {
      const [row] = await db.update(cards).set(patch).where(eq(cards.id, id)).returning();
      return row!;
    },
    /**
     * An erased holder's cards keep only their slot, state and the number's
     * blind index: no credential, no link to the record, no claim code.
     */
    async eraseForResident(db: Executor, residentId: string): Promise<void> {
      await db.update(cards).set({ residentId: null, credential: null, claimCodeHash: null, claimCodeExpiresAt: null }).where(eq(cards.residentId, residentId));
    },
    async eraseCard(db: Executor, id: string): Promise<void> {
      await db.update(cards).set({ residentId: null, credential: null, claimCodeHash: null, claimCodeExpiresAt: null }).where(eq(cards.id, id));
    },
    async byClaimCode(db: Executor, hash: string): Promise<CardRow | undefined> {
      const [row] = await db.select().from(cards).where(eq(cards.claimCodeHash, hash));
      return row;
    },
    /** Slots whose status is not VALID: (index, state) of every non-active card. */
    async nonValid(db: Executor): Promise<Array<{ statusIndex: number; state: string }>> {
      return db.select({ statusIndex: cards.statusIndex, state: cards.state }).from(cards).where(ne(cards.state, 'active'));
    },
    async activeForResident(db: Executor, residentId: string): Promise<CardRow[]> {
      return db.select().from(cards).where(and(eq(cards.residentId, residentId), inArray(cards.state, ['active', 'suspended'])));
    },

    /** Drops claim codes that can no longer be used (their time is up, or the card has expired). */
    async clearStaleClaimCodes(db: Executor, now: Date, today: string): Promise<number> {
      const rows = await db
        .update(cards)
        .set({ claimCodeHash: null, claimCodeExpiresAt: null })
        .where(sql`${cards.claimCodeHash} is not null and (${cards.claimCodeExpiresAt} < ${now.toISOString()}::timestamptz or ${cards.expiresOn} < ${today}::date)`)
        .returning({ id: cards.id });
      return rows.length;
    },
    async countExpiredActive(db: Executor, today: string): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(cards).where(sql`${cards.state} = 'active' and ${cards.expiresOn} < ${today}::date`);
      return row!.n;
    },

    /** Locks the status list state for this transaction (creating it on first use). */
    async lockStatusList(db: Executor, minSlots: number, now: Date): Promise<{ version: number; size: number }> {
      await db.insert(statusListState).values({ id: 1, version: 0, size: minSlots, changedAt: now }).onConflictDoNothing();
      const [row] = await db.select().from(statusListState).where(eq(statusListState.id, 1)).for('update');
      return { version: row!.version, size: row!.size };
    },
    /**
     * A new version of the list. Its change time moves on by at least one
     * second even when the clock has not (two changes in one second, a clock
     * set back): the published list's `iat` is that time, in seconds, and must
     * grow strictly so a verifier can tell the newer of two lists.
     */
    async bumpStatusList(db: Executor, patch: { version: number; size: number; changedAt: Date }): Promise<void> {
      await db
        .update(statusListState)
        .set({ version: patch.version, size: patch.size, changedAt: sql`greatest(${patch.changedAt.toISOString()}::timestamptz, date_trunc('second', ${statusListState.changedAt}) + interval '1 second')` })
        .where(eq(statusListState.id, 1));
    },
    async statusListState(db: Executor): Promise<{ version: number; size: number; changedAt: Date } | undefined> {
      const [row] = await db.select().from(statusListState).where(eq(statusListState.id, 1));
      return row;
    },
  };
}

export type CardsRepository = ReturnType<typeof createCardsRepository>;
