/** The only code that touches the benefits tables. Every function takes the database or a transaction. */
import { and, asc, eq, gte, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { benefitOffers, benefitPartners, benefitRedemptionCounts, benefitRedemptions } from './benefits-tables.js';

export type PartnerRow = typeof benefitPartners.$inferSelect;
export type OfferRow = typeof benefitOffers.$inferSelect;
export type OfferWithPartner = OfferRow & { partnerName: string; partnerCategory: string };

export interface DirectoryFilter {
  category?: string;
  language?: string;
  q?: string;
  acceptsCardAsId?: boolean;
  kind?: string;
  partnerId?: string;
  /** Offers: only those valid on this local date (or later). */
  today?: string;
}

/** `q` as a LIKE pattern that matches itself only (% and _ escaped). */
const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function partnerWhere(f: DirectoryFilter): SQL[] {
  const w: SQL[] = [isNull(benefitPartners.retiredAt)];
  if (f.category) w.push(eq(benefitPartners.category, f.category));
  if (f.language) w.push(sql`${benefitPartners.languages} @> ${JSON.stringify([f.language])}::jsonb`);
  if (f.acceptsCardAsId !== undefined) w.push(eq(benefitPartners.acceptsCardAsId, f.acceptsCardAsId));
  return w;
}

export function createBenefitsRepository() {
  return {
    async insertPartner(db: Executor, row: typeof benefitPartners.$inferInsert): Promise<PartnerRow> {
      const [r] = await db.insert(benefitPartners).values(row).returning();
      return r!;
    },
    async partnerById(db: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<PartnerRow | undefined> {
      const q = db.select().from(benefitPartners).where(eq(benefitPartners.id, id));
      const [r] = opts.forUpdate ? await q.for('update') : await q;
      return r;
    },
    async updatePartner(db: Executor, id: string, patch: Partial<typeof benefitPartners.$inferInsert>): Promise<PartnerRow> {
      const [r] = await db.update(benefitPartners).set(patch).where(eq(benefitPartners.id, id)).returning();
      return r!;
    },
    async listPartners(db: Executor, f: DirectoryFilter, page: { limit: number; offset: number }): Promise<{ rows: PartnerRow[]; total: number }> {
      const w = partnerWhere(f);
      if (f.q) w.push(or(sql`${benefitPartners.name} ilike ${like(f.q)}`, sql`${benefitPartners.description}::text ilike ${like(f.q)}`)!);
      const where = and(...w);
      const [rows, [count]] = await Promise.all([
        db.select().from(benefitPartners).where(where).orderBy(asc(benefitPartners.name), asc(benefitPartners.id)).limit(page.limit).offset(page.offset),
        db.select({ n: sql<number>`count(*)::int` }).from(benefitPartners).where(where),
      ]);
      return { rows, total: count!.n };
    },
    /** Every live partner with at least one coordinate pair, for the map. */
    async mappablePartners(db: Executor, f: DirectoryFilter): Promise<PartnerRow[]> {
      return db
        .select()
        .from(benefitPartners)
        .where(and(...partnerWhere(f), sql`jsonb_path_exists(${benefitPartners.addresses}, '$[*] ? (exists(@.lat) && exists(@.lon))')`))
        .orderBy(asc(benefitPartners.name), asc(benefitPartners.id));
    },

    async insertOffer(db: Executor, row: typeof benefitOffers.$inferInsert): Promise<OfferRow> {
      const [r] = await db.insert(benefitOffers).values(row).returning();
      return r!;
    },
    async offerById(db: Executor, id: string): Promise<OfferWithPartner | undefined> {
      const [r] = await db
        .select({ offer: benefitOffers, partnerName: benefitPartners.name, partnerCategory: benefitPartners.category, partnerRetired: benefitPartners.retiredAt })
        .from(benefitOffers)
        .innerJoin(benefitPartners, eq(benefitPartners.id, benefitOffers.partnerId))
        .where(eq(benefitOffers.id, id));
      // An offer of a retired partner reads as retired.
      return r && { ...r.offer, retiredAt: r.offer.retiredAt ?? r.partnerRetired, partnerName: r.partnerName, partnerCategory: r.partnerCategory };
    },
    async updateOffer(db: Executor, id: string, patch: Partial<typeof benefitOffers.$inferInsert>): Promise<OfferRow> {
      const [r] = await db.update(benefitOffers).set(patch).where(eq(benefitOffers.id, id)).returning();
      return r!;
    },
    /** Live offers of live partners, valid today or later. */
    async listOffers(db: Executor, f: DirectoryFilter, page: { limit: number; offset: number }): Promise<{ rows: OfferWithPartner[]; total: number }> {
      const w = [...partnerWhere(f), isNull(benefitOffers.retiredAt)];
      if (f.today) w.push(or(isNull(benefitOffers.validUntil), gte(benefitOffers.validUntil, f.today))!);
      if (f.kind) w.push(eq(benefitOffers.kind, f.kind));
      if (f.partnerId) w.push(eq(benefitOffers.partnerId, f.partnerId));
      if (f.q) w.push(or(sql`${benefitPartners.name} ilike ${like(f.q)}`, sql`${benefitOffers.title}::text ilike ${like(f.q)}`, sql`${benefitOffers.description}::text ilike ${like(f.q)}`)!);
      const where = and(...w);
      const from = () => db.select({ offer: benefitOffers, partnerName: benefitPartners.name, partnerCategory: benefitPartners.category }).from(benefitOffers).innerJoin(benefitPartners, eq(benefitPartners.id, benefitOffers.partnerId));
      const [rows, [count]] = await Promise.all([
        from().where(where).orderBy(asc(benefitPartners.name), asc(benefitOffers.createdAt), asc(benefitOffers.id)).limit(page.limit).offset(page.offset),
        db.select({ n: sql<number>`count(*)::int` }).from(benefitOffers).innerJoin(benefitPartners, eq(benefitPartners.id, benefitOffers.partnerId)).where(where),
      ]);
      return { rows: rows.map((r) => ({ ...r.offer, partnerName: r.partnerName, partnerCategory: r.partnerCategory })), total: count!.n };
    },
    /** A partner's offers that a counter can give today (live, within their dates). */
    async counterOffers(db: Executor, partnerId: string, today: string): Promise<OfferRow[]> {
      return db
        .select({ offer: benefitOffers })
        .from(benefitOffers)
        .innerJoin(benefitPartners, eq(benefitPartners.id, benefitOffers.partnerId))
        .where(
          and(
            eq(benefitOffers.partnerId, partnerId),
            isNull(benefitOffers.retiredAt),
            isNull(benefitPartners.retiredAt),
            or(isNull(benefitOffers.validFrom), lte(benefitOffers.validFrom, today)),
            or(isNull(benefitOffers.validUntil), gte(benefitOffers.validUntil, today)),
          ),
        )
        .orderBy(asc(benefitOffers.createdAt), asc(benefitOffers.id))
        .then((rows) => rows.map((r) => r.offer));
    },

    /** True when this pseudonym is already recorded for the offer and period. */
    async redeemed(db: Executor, offerId: string, period: string, pseudonym: Buffer): Promise<boolean> {
      const [r] = await db
        .select({ one: sql<number>`1` })
        .from(benefitRedemptions)
        .where(and(eq(benefitRedemptions.offerId, offerId), eq(benefitRedemptions.period, period), eq(benefitRedemptions.pseudonym, pseudonym)));
      return r !== undefined;
    },
    /** Records a redemption; false when the same pseudonym holds this period already (the primary key decides, whatever the concurrency). */
    async recordRedemption(db: Executor, offerId: string, period: string, pseudonym: Buffer): Promise<boolean> {
      const rows = await db.insert(benefitRedemptions).values({ offerId, period, pseudonym }).onConflictDoNothing().returning({ offerId: benefitRedemptions.offerId });
      return rows.length === 1;
    },
    /** Past periods' pseudonyms serve no limit any more: they go. */
    async forgetPastPeriods(db: Executor, offerId: string, period: string): Promise<void> {
      await db.delete(benefitRedemptions).where(and(eq(benefitRedemptions.offerId, offerId), ne(benefitRedemptions.period, period)));
    },
    async countRedemption(db: Executor, offerId: string, month: string): Promise<void> {
      await db
        .insert(benefitRedemptionCounts)
        .values({ offerId, month, count: 1 })
        .onConflictDoUpdate({ target: [benefitRedemptionCounts.offerId, benefitRedemptionCounts.month], set: { count: sql`${benefitRedemptionCounts.count} + 1` } });
    },
    async counts(db: Executor, f: { partnerId?: string; from: string; to: string }) {
      return db
        .select({ offerId: benefitRedemptionCounts.offerId, month: benefitRedemptionCounts.month, count: benefitRedemptionCounts.count, partnerId: benefitOffers.partnerId, title: benefitOffers.title })
        .from(benefitRedemptionCounts)
        .innerJoin(benefitOffers, eq(benefitOffers.id, benefitRedemptionCounts.offerId))
        .where(and(gte(benefitRedemptionCounts.month, f.from), lte(benefitRedemptionCounts.month, f.to), f.partnerId ? eq(benefitOffers.partnerId, f.partnerId) : undefined))
        .orderBy(asc(benefitOffers.createdAt), asc(benefitOffers.id), asc(benefitRedemptionCounts.month));
    },
    async partnerExists(db: Executor, id: string): Promise<boolean> {
      const [r] = await db.select({ id: benefitPartners.id }).from(benefitPartners).where(and(eq(benefitPartners.id, id), isNull(benefitPartners.retiredAt)));
      return r !== undefined;
    },
  };
}

export type BenefitsRepository = ReturnType<typeof createBenefitsRepository>;
