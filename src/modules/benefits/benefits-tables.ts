/**
 * Benefits (issue 16): partner organisations, their offers, and what a
 * redemption leaves behind. Partners and offers are public directory data
 * (organisations, never people). A redemption leaves exactly two things: a
 * per-partner, per-period pseudonym that only the partner's own secret can
 * produce (benefit_redemptions, limited offers only), and a count per offer
 * and month (benefit_redemption_counts). Neither holds a time finer than the
 * period, a card number, a resident id or a staff id.
 */
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../../db/bytea.js';
import { timestamps } from '../../db/columns.js';

/** One street address of a partner; coordinates (WGS 84) only when the city gave them, for its map. */
export interface PartnerAddress {
  line1: string;
  postalCode?: string;
  locality: string;
  lat?: number;
  lon?: number;
}

export const benefitPartners = pgTable(
  'benefit_partners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** `culture` | `library` | `health` | `finance` | … (benefits-views.ts PARTNER_CATEGORIES). */
    category: text('category').notNull(),
    /** What the organisation is, per language (en, fr, es, pt, ar). */
    description: jsonb('description').$type<Record<string, string>>().notNull().default({}),
    addresses: jsonb('addresses').$type<PartnerAddress[]>().notNull().default([]),
    /** Opening hours as the organisation writes them (OpenStreetMap `opening_hours` syntax recommended: "Mo-Fr 09:00-18:00"). */
    hours: text('hours'),
    /** Languages spoken at the counter (ISO 639-1). */
    languages: jsonb('languages').$type<string[]>().notNull().default([]),
    /** Accessibility tags: step-free, accessible-toilet, hearing-loop, sign-language, … */
    accessibility: jsonb('accessibility').$type<string[]>().notNull().default([]),
    website: text('website'),
    /** The organisation's desk phone (never a person's). */
    phone: text('phone'),
    /** Accepts the card as proof of identity (a bank, a clinic, a school): the "where it is accepted" list. */
    acceptsCardAsId: boolean('accepts_card_as_id').notNull().default(false),
    /** The day the city last confirmed `acceptsCardAsId` with the organisation (city's time zone). */
    acceptanceConfirmedOn: date('acceptance_confirmed_on', { mode: 'string' }),
    /** Retired partners leave the directory; their offers stop being redeemable. Rows stay for the counts. */
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [index('benefit_partners_category_idx').on(t.category)],
);

export const benefitOffers = pgTable(
  'benefit_offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id').notNull().references(() => benefitPartners.id, { onDelete: 'cascade' }),
    /** Per language; a missing language falls back to the city's official language, then English, then any. */
    title: jsonb('title').$type<Record<string, string>>().notNull(),
    description: jsonb('description').$type<Record<string, string>>().notNull().default({}),
    /** `membership` | `discount` | `free-entry` | `service` | `other`. */
    kind: text('kind').notNull(),
    /** How often one holder may redeem it: `none` (no limit, nothing recorded per holder) | `once` | `year` | `month`. */
    limitPer: text('limit_per').notNull(),
    /** Inclusive age range, judged from the printed birth date. */
    ageMin: integer('age_min'),
    ageMax: integer('age_max'),
    /** Inclusive validity, local dates of the city. */
    validFrom: date('valid_from', { mode: 'string' }),
    validUntil: date('valid_until', { mode: 'string' }),
    /** Whether holders of partner cities' cards are eligible, not only this city's. */
    partnerCityHolders: boolean('partner_city_holders').notNull().default(false),
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [index('benefit_offers_partner_idx').on(t.partnerId)],
);

/**
 * One redemption of a limited offer, as nothing but a pseudonym:
 * HMAC(HMAC(partner's service-key secret, "lcc/redemption/v1"),
 * partner ‖ offer ‖ period ‖ issuer ‖ card number) (redemption-pseudonym.ts).
 * The city keeps only a hash of that secret, so neither it nor anyone holding
 * this table and MASTER_KEY can recompute or match a pseudonym; two partners'
 * rows for one card share nothing. The primary key makes "once per period"
 * hold under any number of concurrent redemptions. No time is kept: the
 * period is all a limit needs.
 */
export const benefitRedemptions = pgTable(
  'benefit_redemptions',
  {
    offerId: uuid('offer_id').notNull().references(() => benefitOffers.id, { onDelete: 'cascade' }),
    /** `once`, `YYYY` or `YYYY-MM` (city's time zone). */
    period: text('period').notNull(),
    /** 32 bytes of HMAC-SHA-256. */
    pseudonym: bytea('pseudonym').notNull(),
  },
  (t) => [primaryKey({ name: 'benefit_redemptions_pk', columns: [t.offerId, t.period, t.pseudonym] })],
);

/** Redemptions per offer and month (city's time zone), every limit included: the numbers without the people. */
export const benefitRedemptionCounts = pgTable(
  'benefit_redemption_counts',
  {
    offerId: uuid('offer_id').notNull().references(() => benefitOffers.id, { onDelete: 'cascade' }),
    /** `YYYY-MM`. */
    month: text('month').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'benefit_redemption_counts_pk', columns: [t.offerId, t.month] })],
);
