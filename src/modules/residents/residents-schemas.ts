/** HTTP schemas of the residents routes; field names are the public contract (DESIGN.md "The resident record"). */
import { Type, type TSchema } from 'typebox';
import { BIRTH_DATE_PATTERN } from './birth-date.js';
import { NAME_MAX } from './names.js';
import { TEXT_MAX } from './resident-record.js';

/** `string | null` as one JSON Schema type list, so a bad value gets one clear error, not an anyOf cascade. */
const nullableString = (opts: { maxLength: number; minLength?: number; pattern?: string; description?: string }) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], ...opts });
const Opt = <T extends TSchema>(t: T) => Type.Optional(t);

/**
 * The limits the server enforces, so the API description states them (issue 14): names.ts and
 * resident-record.ts count characters (code points) again after NFC and white-space collapsing.
 */
const AFTER_NFC = 'Characters (code points), counted as sent and again after NFC with runs of white space as one space.';
const RawName = Type.String({ minLength: 1, maxLength: NAME_MAX, description: AFTER_NFC });
const PrintedName = Type.String({
  minLength: 1,
  maxLength: NAME_MAX,
  description: `${AFTER_NFC} It must also print whole on the card and fit its signed bytes: otherwise 422 name-too-long-for-card (card-budget.ts).`,
});
const RawNameOrNull = nullableString({ minLength: 1, maxLength: NAME_MAX, description: AFTER_NFC });
const text = (max: number) => nullableString({ maxLength: max, description: AFTER_NFC });
const BirthDate = nullableString({ maxLength: 10, pattern: BIRTH_DATE_PATTERN });
const Lang = Type.String({ maxLength: 35 });

const GenderBody = Type.Object(
  {
    selfDescribed: Opt(text(TEXT_MAX.selfDescribed)),
    pronouns: Opt(text(TEXT_MAX.pronouns)),
    marker: Opt(nullableString({ maxLength: 3 })),
    printMarker: Opt(Type.Boolean()),
  },
  { additionalProperties: false },
);
/** Either `{ line1, line2?, postalCode?, locality }` or `{ noFixedAddress: true, careOf? }` (checked in the service, with clear paths). */
const AddressBody = Type.Object(
  {
    line1: Opt(Type.String({ maxLength: TEXT_MAX.line, description: AFTER_NFC })),
    line2: Opt(text(TEXT_MAX.line)),
    postalCode: Opt(text(TEXT_MAX.postalCode)),
    locality: Opt(Type.String({ maxLength: TEXT_MAX.locality, description: AFTER_NFC })),
    noFixedAddress: Opt(Type.Boolean()),
    careOf: Opt(text(TEXT_MAX.careOf)),
  },
  { additionalProperties: false },
);
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** For the road (issue 19): someone to call, printed on the back only when `print`; never in the QR. */
export const EmergencyContactBody = Type.Object(
  { name: Opt(nullableString({ maxLength: 100 })), phone: Type.String({ minLength: 1, maxLength: 30 }), print: Opt(Type.Boolean()) },
  { additionalProperties: false },
);
const RoadFields = {
  emergencyContact: Opt(Nullable(EmergencyContactBody)),
  /** Print the "rights and help" panel (the city's texts in templates/road/) on the card's back. */
  printRightsPanel: Opt(Type.Boolean()),
};
const Evidence = Type.Array(Type.Object({ type: Type.String({ maxLength: 64 }) }, { additionalProperties: false }), { maxItems: 20 });
const Languages = Type.Array(Lang, { maxItems: 20 });

export const EnrolBody = Type.Object(
  {
    names: Type.Object(
      { printed: PrintedName, legal: Opt(RawNameOrNull), original: Opt(RawNameOrNull), transliteration: Opt(RawNameOrNull) },
      { additionalProperties: false },
    ),
    birthDate: Opt(BirthDate),
    gender: Opt(Nullable(GenderBody)),
    address: Opt(Nullable(AddressBody)),
    addressConfidential: Opt(Type.Boolean()),
    preferredLanguage: Type.String({ maxLength: 8 }),
    languages: Opt(Languages),
    evidence: Opt(Evidence),
    /** Below the city's minimum age to enrol alone: a parent or guardian is present. */
    guardianPresent: Opt(Type.Boolean()),
    ...RoadFields,
  },
  { additionalProperties: false },
);

export const PatchBody = Type.Object(
  {
    names: Opt(
      Type.Object(
        { printed: Opt(PrintedName), legal: Opt(RawNameOrNull), original: Opt(RawNameOrNull), transliteration: Opt(RawNameOrNull) },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
    birthDate: Opt(BirthDate),
    gender: Opt(Nullable(GenderBody)),
    address: Opt(Nullable(AddressBody)),
    addressConfidential: Opt(Type.Boolean()),
    preferredLanguage: Opt(Type.String({ maxLength: 8 })),
    languages: Opt(Languages),
    evidence: Opt(Evidence),
    guardianPresent: Opt(Type.Boolean()),
    ...RoadFields,
  },
  { additionalProperties: false, minProperties: 1 },
);

const NamesView = Type.Object({
  printed: Type.String(),
  legal: Opt(Type.String()),
  original: Opt(Type.String()),
  transliteration: Opt(Type.String()),
});

export const ResidentView = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  names: NamesView,
  birthDate: Type.Union([Type.String(), Type.Null()]),
  gender: Type.Object({ selfDescribed: Opt(Type.String()), pronouns: Opt(Type.String()), marker: Opt(Type.String()), printMarker: Type.Boolean() }),
  address: Type.Union([
    Type.Object({ line1: Type.String(), line2: Opt(Type.String()), postalCode: Opt(Type.String()), locality: Type.String() }),
    Type.Object({ noFixedAddress: Type.Boolean(), careOf: Opt(Type.String()) }),
    Type.Null(),
  ]),
  addressConfidential: Type.Boolean(),
  preferredLanguage: Type.String(),
  languages: Type.Array(Type.String()),
  guardianPresent: Type.Boolean(),
  emergencyContact: Opt(Type.Object({ name: Opt(Type.String()), phone: Type.String(), print: Type.Boolean() })),
  printRightsPanel: Opt(Type.Boolean()),
  evidence: Type.Object({
    rulesVersion: Type.String(),
    items: Type.Array(Type.Object({ type: Type.String(), seenBy: Type.Union([Type.String(), Type.Null()]), seenAt: Type.String() })),
  }),
  hasPhoto: Type.Boolean(),
  lastCardExpiresAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ResidentSummary = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  names: NamesView,
  birthDate: Type.Union([Type.String(), Type.Null()]),
});

export const EnrolResult = Type.Object({ resident: ResidentView, possibleDuplicates: Type.Array(ResidentSummary) });

export const SearchQuery = Type.Object(
  {
    q: Opt(Type.String({ minLength: 1, maxLength: 200 })),
    birthDate: Opt(Type.String({ pattern: BIRTH_DATE_PATTERN })),
    card: Opt(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' })),
    after: Opt(Type.String({ format: 'uuid' })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);

export const EvidenceRulesView = Type.Object({
  version: Type.String(),
  /** The card markers this city allows (city-rules.json), for the enrolment form. */
  genderMarkers: Type.Array(Type.String()),
  requirements: Type.Object({
    identityPoints: Type.Integer(),
    residencyPoints: Type.Integer(),
    photoDocument: Type.Boolean(),
    birthDateDocumentWhenBirthDateGiven: Type.Boolean(),
  }),
  documents: Type.Array(
    Type.Object({
      type: Type.String(),
      identity: Type.Integer(),
      residency: Type.Integer(),
      carriesPhoto: Type.Boolean(),
      carriesBirthDate: Type.Boolean(),
      label: Type.Record(Type.String(), Type.String()),
    }),
  ),
});
