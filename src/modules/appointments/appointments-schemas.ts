/** HTTP shapes of the appointments routes (DESIGN.md "Appointments"). */
import { Type } from 'typebox';
import { LANGUAGES } from '../../i18n/languages.js';
import { PIN_PATTERN, REFERENCE_PATTERN } from './booking-secrets.js';

const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const LocalDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
export const Language = Type.Union(LANGUAGES.map((l) => Type.Literal(l)));

const Hours = Type.Object({ weekday: Type.Integer({ minimum: 1, maximum: 7 }), open: HHMM, close: HHMM }, { additionalProperties: false });

const siteFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  address: Type.String({ minLength: 1, maxLength: 300 }),
  kind: Type.Union([Type.Literal('permanent'), Type.Literal('pop-up')]),
  from: Type.Optional(LocalDate),
  until: Type.Optional(LocalDate),
  languages: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z]{2,3}$' }), { maxItems: 30, uniqueItems: true })),
  accessibility: Type.Optional(Type.String({ maxLength: 500 })),
  hours: Type.Array(Hours, { maxItems: 28 }),
  desks: Type.Integer({ minimum: 1, maximum: 200 }),
  slotMinutes: Type.Integer({ minimum: 5, maximum: 240 }),
  walkInShare: Type.Number({ minimum: 0, maximum: 1 }),
  bookingWindowDays: Type.Integer({ minimum: 0, maximum: 180 }),
  releaseTime: HHMM,
  noShowMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 240 })),
  /** Minutes after a day's release during which requests are collected, then placed in random order; 0 = first come. */
  drawMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 240 })),
};

export const SiteBody = Type.Object(siteFields, { additionalProperties: false });
export const SitePatch = Type.Partial(Type.Object(siteFields), { additionalProperties: false, minProperties: 1 });

export const SiteView = Type.Object({
  id: Type.String(),
  ...siteFields,
  languages: Type.Array(Type.String()),
  noShowMinutes: Type.Integer(),
  drawMinutes: Type.Integer(),
});

const FreeSlot = Type.Union([Type.Object({ start: Type.String(), remaining: Type.Integer() }), Type.Null()]);

export const SiteWithCapacity = Type.Intersect([
  SiteView,
  Type.Object({
    nextFreeSlot: FreeSlot,
    today: Type.Object({ date: Type.String(), open: Type.Boolean(), walkInPlaces: Type.Integer() }),
    nextRelease: Type.Object({ date: Type.String(), at: Type.String() }),
  }),
]);

export const SiteUpdated = Type.Intersect([
  SiteView,
  Type.Object({ affected: Type.Array(Type.Object({ reference: Type.String(), start: Type.String(), hasContact: Type.Boolean() })) }),
]);

export const SlotsView = Type.Object({
  date: Type.String(),
  released: Type.Boolean(),
  opensAt: Type.String(),
  items: Type.Array(Type.Object({ start: Type.String(), remaining: Type.Integer() })),
});

export const Reference = Type.String({ pattern: REFERENCE_PATTERN });
export const PinHeader = Type.Object({ 'appointment-pin': Type.String({ pattern: PIN_PATTERN }) });

export const BookBody = Type.Object(
  {
    siteId: Type.String({ format: 'uuid' }),
    start: Type.String({ format: 'date-time' }),
    language: Language,
    contact: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  },
  { additionalProperties: false },
);
export const GroupBookBody = Type.Object(
  { siteId: Type.String({ format: 'uuid' }), start: Type.String({ format: 'date-time' }), language: Language, places: Type.Integer({ minimum: 1, maximum: 50 }) },
  { additionalProperties: false },
);

const Bring = {
  bring: Type.Array(Type.Object({ type: Type.String(), label: Type.String(), identityPoints: Type.Integer(), residencyPoints: Type.Integer() })),
  requirements: Type.Object({ identityPoints: Type.Integer(), residencyPoints: Type.Integer(), photoDocument: Type.Boolean() }),
};
const SiteRef = Type.Object({ id: Type.String(), name: Type.String(), address: Type.String() });

const Status = Type.Union([Type.Literal('confirmed'), Type.Literal('pending'), Type.Literal('unplaced')]);

export const Booked = Type.Object({
  /** `pending`: made during the opening draw, placed at `drawAt` (read it back with the PIN). */
  status: Status,
  drawAt: Type.Optional(Type.String()),
  reference: Type.String(),
  pin: Type.String(),
  start: Type.String(),
  minutes: Type.Integer(),
  site: SiteRef,
  bookings: Type.Array(Type.Object({ reference: Type.String(), pin: Type.String() })),
  ...Bring,
});

export const AppointmentView = Type.Object({
  status: Status,
  drawAt: Type.Optional(Type.String()),
  nextFreeSlot: Type.Optional(FreeSlot),
  reference: Type.String(),
  start: Type.String(),
  minutes: Type.Integer(),
  language: Type.String(),
  site: SiteRef,
  checkedIn: Type.Boolean(),
  reminder: Type.Boolean(),
  ...Bring,
});

export const DayView = Type.Object({
  date: Type.String(),
  site: Type.Object({ id: Type.String(), name: Type.String() }),
  items: Type.Array(Type.Object({ start: Type.String(), reference: Type.String(), checkedIn: Type.Boolean(), noShow: Type.Boolean(), reminder: Type.Boolean() })),
  slots: Type.Array(Type.Object({ start: Type.String(), places: Type.Integer(), booked: Type.Integer(), walkInDesks: Type.Integer() })),
});
