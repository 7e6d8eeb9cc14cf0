/** TypeBox schemas of the events API (bodies refuse unknown fields). */
import { Type } from 'typebox';
import { LANGUAGES } from '../../i18n/languages.js';
import { MILESTONE_STATUSES, MILESTONES } from './events-timeline.js';
import { ACCESS, CATEGORIES, RSVP_MODES } from './events-views.js';

const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));
/** Text in the five languages; English required (the fallback every page uses). */
const Localised = (max: number) =>
  Type.Object(Object.fromEntries(LANGUAGES.map((l) => [l, l === 'en' ? Type.String({ minLength: 1, maxLength: max }) : Type.Optional(Type.String({ minLength: 1, maxLength: max }))])), {
    additionalProperties: false,
  });
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 with an offset' });
const LanguageCode = Type.String({ minLength: 2, maxLength: 3 });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 20 });

const eventFields = {
  title: Localised(200),
  description: Type.Optional(Localised(5000)),
  category: lit(CATEGORIES),
  startsAt: Instant,
  endsAt: Instant,
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone; the city’s TIME_ZONE by default' })),
  place: Type.Optional(Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), address: Type.String({ minLength: 1, maxLength: 400 }) }, { additionalProperties: false })),
  spaceId: Type.Optional(Type.String({ format: 'uuid' })),
  languages: Type.Optional(Type.Array(LanguageCode, { maxItems: 20 })),
  accessibility: Type.Optional(Tags),
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  access: lit(ACCESS),
  editionId: Type.Optional(Type.String({ format: 'uuid' })),
};

export const EventBody = Type.Object({ ...eventFields, rsvp: lit(RSVP_MODES), drawAt: Type.Optional(Instant) }, { additionalProperties: false });
export const EventPatchBody = Type.Partial(Type.Object(eventFields, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 });

const Localised0 = Type.Record(Type.String(), Type.String());
export const EventView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  editionId: Type.Union([Type.String(), Type.Null()]),
  spaceId: Type.Union([Type.String(), Type.Null()]),
  title: Localised0,
  description: Type.Union([Localised0, Type.Null()]),
  category: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  timeZone: Type.String(),
  place: Type.Union([Type.Object({ name: Type.String(), address: Type.String() }), Type.Null()]),
  languages: Type.Array(Type.String()),
  accessibility: Type.Array(Type.String()),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  access: Type.String(),
  rsvp: Type.String(),
  drawAt: Type.Union([Type.String(), Type.Null()]),
  seedHash: Type.Union([Type.String(), Type.Null()]),
  seed: Type.Union([Type.String(), Type.Null()]),
  drawnAt: Type.Union([Type.String(), Type.Null()]),
  counts: Type.Object({ entries: Type.Union([Type.Integer(), Type.Null()]), places: Type.Union([Type.Integer(), Type.Null()]), admitted: Type.Integer() }),
});

export const EventQuery = Type.Object(
  {
    edition: Type.Optional(Type.String({ format: 'uuid' })),
    category: Type.Optional(lit(CATEGORIES)),
    language: Type.Optional(LanguageCode),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    cardHoldersOnly: Type.Optional(Type.Boolean()),
    lang: Type.Optional(lit(LANGUAGES)),
  },
  { additionalProperties: false },
);

export const EditionBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), startsOn: Type.String({ format: 'date' }), endsOn: Type.String({ format: 'date' }) },
  { additionalProperties: false },
);
export const EditionView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  milestones: Type.Array(Type.Object({ key: Type.String(), dueOn: Type.String(), owner: Type.Union([Type.String(), Type.Null()]), status: Type.String(), late: Type.Boolean() })),
});
export const MilestoneKeyParam = lit(MILESTONES.map((m) => m.key));
export const MilestoneBody = Type.Object(
  { owner: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])), status: Type.Optional(lit(MILESTONE_STATUSES)) },
  { additionalProperties: false, minProperties: 1 },
);

const spaceFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: lit(['public', 'solidarity'] as const),
  address: Type.String({ minLength: 1, maxLength: 400 }),
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  accessibility: Type.Optional(Tags),
  languages: Type.Optional(Type.Array(LanguageCode, { maxItems: 20 })),
  contact: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
};
export const SpaceBody = Type.Object(spaceFields, { additionalProperties: false });
export const SpacePatchBody = Type.Partial(Type.Object(spaceFields, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 });
export const SpaceView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  address: Type.String(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  accessibility: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  contact: Type.Union([Type.String(), Type.Null()]),
});

export const RsvpView = Type.Object({
  status: Type.String(),
  position: Type.Optional(Type.Integer()),
  entryId: Type.String(),
  ticket: Type.Optional(Type.Object({ qr: Type.String(), validUntil: Type.String() })),
});

export const DrawRecord = Type.Object({
  seedHash: Type.String(),
  drawAt: Type.String(),
  drawnAt: Type.Union([Type.String(), Type.Null()]),
  places: Type.Integer(),
  seed: Type.Union([Type.String(), Type.Null()]),
  entries: Type.Union([Type.Array(Type.String()), Type.Null()]),
  order: Type.Union([Type.Array(Type.String()), Type.Null()]),
  algorithm: Type.String(),
});
