/** TypeBox schemas of the benefits API (DESIGN.md "Benefits"); bodies refuse unknown fields. */
import { Type } from 'typebox';
import { LANGUAGES } from '../../i18n/languages.js';

/** The directory's categories of partner organisations (issue 16). */
export const PARTNER_CATEGORIES = ['culture', 'library', 'health', 'finance', 'transport', 'sport', 'food', 'education', 'legal-aid', 'social-services', 'other'] as const;
export const OFFER_KINDS = ['membership', 'discount', 'free-entry', 'service', 'other'] as const;
/** How often one holder may redeem an offer: `none` keeps no per-holder record at all. */
export const LIMITS = ['none', 'once', 'year', 'month'] as const;
export type Limit = (typeof LIMITS)[number];

const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));
/** Text per language (en fr es pt ar), at least one; a missing language falls back to the city's. */
const Localised = (max: number) =>
  Type.Object(Object.fromEntries(LANGUAGES.map((l) => [l, Type.Optional(Type.String({ minLength: 1, maxLength: max }))])), { additionalProperties: false, minProperties: 1 });
const LocalisedOut = Type.Record(Type.String(), Type.String());
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD, the city’s local date' });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 20 });

const Address = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    postalCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    locality: Type.String({ minLength: 1, maxLength: 100 }),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  },
  { additionalProperties: false },
);

const partnerFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  category: lit(PARTNER_CATEGORIES),
  description: Type.Optional(Localised(2000)),
  addresses: Type.Optional(Type.Array(Address, { maxItems: 50 })),
  hours: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'OpenStreetMap opening_hours syntax recommended, e.g. "Mo-Fr 09:00-18:00; Sa 10:00-13:00"' })),
  languages: Type.Optional(Type.Array(Type.String({ minLength: 2, maxLength: 3 }), { maxItems: 30, description: 'Languages spoken at the counter (ISO 639-1/3)' })),
  accessibility: Type.Optional(Tags),
  website: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 })),
  phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ().-]{4,30}$' })),
  acceptsCardAsId: Type.Optional(Type.Boolean({ description: 'Accepts the card as ID; setting it (either way) records today as the city’s confirmation date' })),
};
export const PartnerBody = Type.Object(partnerFields, { additionalProperties: false });
export const PartnerPatchBody = Type.Partial(Type.Object(partnerFields, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 });

const Age = Type.Integer({ minimum: 0, maximum: 130 });
const offerFields = {
  title: Localised(200),
  description: Type.Optional(Localised(2000)),
  kind: lit(OFFER_KINDS),
  limit: Type.Object({ per: lit(LIMITS) }, { additionalProperties: false }),
  ageMin: Type.Optional(Age),
  ageMax: Type.Optional(Age),
  validFrom: Type.Optional(Day),
  validUntil: Type.Optional(Day),
  partnerCityHolders: Type.Optional(Type.Boolean()),
};
export const OfferBody = Type.Object(offerFields, { additionalProperties: false });
/** A field set to null in a patch is cleared (age rule, validity dates). */
export const OfferPatchBody = Type.Object(
  {
    ...Object.fromEntries(Object.entries(offerFields).map(([k, v]) => [k, Type.Optional(['ageMin', 'ageMax', 'validFrom', 'validUntil'].includes(k) ? Type.Union([Type.Null(), v]) : v)])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PartnerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  category: Type.String(),
  description: LocalisedOut,
  addresses: Type.Array(Type.Object({ line1: Type.String(), postalCode: Type.Optional(Type.String()), locality: Type.String(), lat: Type.Optional(Type.Number()), lon: Type.Optional(Type.Number()) })),
  hours: Type.Union([Type.String(), Type.Null()]),
  languages: Type.Array(Type.String()),
  accessibility: Type.Array(Type.String()),
  website: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  acceptsCardAsId: Type.Boolean(),
  acceptanceConfirmedOn: Type.Union([Type.String(), Type.Null()]),
  retired: Type.Boolean(),
});

export const OfferView = Type.Object({
  id: Type.String(),
  partnerId: Type.String(),
  partner: Type.Object({ name: Type.String(), category: Type.String() }),
  title: LocalisedOut,
  description: LocalisedOut,
  kind: Type.String(),
  limit: Type.Object({ per: Type.String() }),
  ageMin: Type.Union([Type.Integer(), Type.Null()]),
  ageMax: Type.Union([Type.Integer(), Type.Null()]),
  validFrom: Type.Union([Type.String(), Type.Null()]),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  partnerCityHolders: Type.Boolean(),
  retired: Type.Boolean(),
});

const page = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};
const filters = {
  category: Type.Optional(lit(PARTNER_CATEGORIES)),
  language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$', description: 'Spoken at the counter' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Text in the name, title or description' })),
};
export const PartnerQuery = Type.Object({ ...filters, acceptsCardAsId: Type.Optional(Type.Boolean()), ...page }, { additionalProperties: false });
export const OfferQuery = Type.Object({ ...filters, kind: Type.Optional(lit(OFFER_KINDS)), partner: Type.Optional(Type.String({ format: 'uuid' })), ...page }, { additionalProperties: false });
export const GeoQuery = Type.Object({ category: filters.category, acceptsCardAsId: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

export const Paged = <T extends ReturnType<typeof Type.Object>>(item: T) => Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

export const RedemptionView = Type.Object({
  offerId: Type.String(),
  /** `once`, `YYYY`, `YYYY-MM`; null for an offer without a limit (only counted). */
  period: Type.Union([Type.String(), Type.Null()]),
  /** First day it can be redeemed again by this card here; null when never (once) or at once (no limit). */
  availableAgain: Type.Union([Type.String(), Type.Null()]),
  /** `check-by-hand`: the printed birth date does not settle the age rule; the counter checked it. */
  eligible: Type.Union([Type.Boolean(), Type.Literal('check-by-hand')]),
});

const Count = Type.Object({
  month: Type.String(),
  /** Null when fewer than 10 (then `fewerThan` is 10). */
  count: Type.Union([Type.Integer(), Type.Null()]),
  fewerThan: Type.Optional(Type.Integer()),
});
export const HolderAgesView = Type.Object({
  asOf: Type.String({ format: 'date', description: 'The first day of the city month the figures are for' }),
  k: Type.Integer({ description: 'Smallest count served' }),
  total: Type.Union([Type.Integer({ minimum: 10 }), Type.Null()], { description: 'Holders of a card in force; null: fewer than k' }),
  bands: Type.Array(
    Type.Object({
      band: Type.Union(['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+', 'unknown'].map((b) => Type.Literal(b))),
      count: Type.Union([Type.Integer({ minimum: 10 }), Type.Null()], { description: 'Null: fewer than k, or hidden so that the total does not give away a hidden band' }),
    }),
  ),
});

export const CountsView = Type.Object({
  items: Type.Array(Type.Object({ offerId: Type.String(), partnerId: Type.String(), title: LocalisedOut, months: Type.Array(Count) })),
});
