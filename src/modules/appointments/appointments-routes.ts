/** Enrolment sites, bookings and the desk (HTTP only; logic in the services). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef, Uuid } from '../../http/schemas.js';
import type { AppointmentsService } from './appointments-service.js';
import { AppointmentView, Booked, BookBody, DayView, GroupBookBody, PinHeader, Reference, SiteBody, SitePatch, SiteUpdated, SiteWithCapacity, SlotsView, SiteView } from './appointments-schemas.js';
import { mediaAnswer } from '../../http/openapi-truth.js';

const tags = ['appointments'];
/** PIN guesses are also limited per address (the per-booking lock is in booking-service). */
const PIN_RATE = { max: 30, timeWindow: '1 minute' };

export async function appointmentsRoutes(base: FastifyInstance, opts: { appointments: AppointmentsService; timerSeconds?: number }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { sites, booking, desk } = opts.appointments;
  // Draws, reminders and the purge run on a minute timer while the app is up.
  let stop: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    stop = opts.appointments.start(opts.timerSeconds ?? 60);
  });
  app.addHook('onClose', async () => stop?.());
  const admin = (req: { actor: { id: string } | null }) => ({ type: 'admin' as const, id: req.actor!.id });

  app.post(
    '/v1/enrolment-sites',
    { config: { access: ['admin'] }, schema: { tags, body: SiteBody, response: { 201: SiteView, 400: ProblemRef, ...authErrors } } },
    async (req, reply) => reply.code(201).send(await sites.create(admin(req), req.body)),
  );

  app.patch(
    '/v1/enrolment-sites/:id',
    {
      config: { access: ['admin'] },
      schema: { tags, summary: 'Change a site; bookings left without a slot are listed in `affected`, never dropped', params: Type.Object({ id: Uuid }), body: SitePatch, response: { 200: SiteUpdated, 400: ProblemRef, 404: ProblemRef, ...authErrors } },
    },
    async (req) => sites.update(admin(req), req.params.id, req.body),
  );

  app.get(
    '/v1/enrolment-sites',
    {
      config: { access: 'public' },
      schema: { tags, summary: "Sites with their next free place, today's walk-in capacity and the next release", response: { 200: Type.Object({ reminders: Type.Boolean(), items: Type.Array(SiteWithCapacity) }) } },
    },
    async () => ({ reminders: booking.remindersEnabled, items: await sites.list() }),
  );

  app.get(
    '/v1/enrolment-sites/:id/slots',
    {
      config: { access: 'public' },
      schema: { tags, params: Type.Object({ id: Uuid }), querystring: Type.Object({ date: Type.String() }), response: { 200: SlotsView, 400: ProblemRef, 404: ProblemRef, 422: ProblemRef } },
    },
    async (req) => sites.slots(req.params.id, req.query.date),
  );

  app.get(
    '/v1/enrolment-sites/:id/day',
    {
      config: { access: ['clerk'] },
      schema: { tags, summary: "The clerk's day: each booking's time, reference, check-in; walk-in desks per slot", params: Type.Object({ id: Uuid }), querystring: Type.Object({ date: Type.String() }), response: { 200: DayView, 400: ProblemRef, 404: ProblemRef, ...authErrors } },
    },
    async (req) => desk.day(req.params.id, req.query.date),
  );

  app.post(
    '/v1/enrolment-sites/:id/walk-ins',
    { config: { access: ['clerk'] }, schema: { tags, summary: 'The next walk-in queue number of the day', params: Type.Object({ id: Uuid }), response: { 201: Type.Object({ date: Type.String(), number: Type.Integer() }), 404: ProblemRef, ...authErrors } } },
    async (req, reply) => reply.code(201).send(await desk.walkIn(req.params.id)),
  );

  app.post(
    '/v1/appointments',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Book a place: no account, no name; a reference and a PIN', body: BookBody, response: { 201: Booked, 202: Booked, 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, 422: ProblemRef } },
    },
    async (req, reply) => {
      const booked = await booking.book(req.body);
      // 202: a request in the opening draw, placed when the window closes.
      return reply.code(booked.status === 'pending' ? 202 : 201).send(booked);
    },
  );

  app.post(
    '/v1/organisation-appointments',
    {
      config: { access: ['partner_service'] },
      schema: { tags, summary: 'A community organisation with the booking right books several places of one slot', body: GroupBookBody, response: { 201: Booked, 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, 422: ProblemRef, ...authErrors } },
    },
    async (req, reply) => reply.code(201).send(await booking.book(req.body, { type: req.actor!.type, id: req.actor!.id })),
  );

  const withPin = { params: Type.Object({ reference: Reference }), headers: PinHeader };
  app.get(
    '/v1/appointments/:reference',
    { config: { access: 'public', rateLimit: PIN_RATE }, schema: { tags, summary: 'A booking, with its PIN in the Appointment-Pin header', ...withPin, response: { 200: AppointmentView, 400: ProblemRef, 404: ProblemRef, 429: ProblemRef } } },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await booking.get(req.params.reference, req.headers['appointment-pin'])),
  );

  app.get(
    '/v1/appointments/:reference/calendar.ics',
    { config: { access: 'public', rateLimit: PIN_RATE, openapi: { response: { 200: mediaAnswer('text/calendar', 'The booking as an iCalendar file', 'text') } } }, schema: { tags, summary: 'The booking as an .ics calendar entry', ...withPin, response: { 200: Type.String(), 400: ProblemRef, 404: ProblemRef, 429: ProblemRef } } },
    async (req, reply) =>
      reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="appointment.ics"')
        .header('cache-control', 'no-store')
        .send(await booking.ics(req.params.reference, req.headers['appointment-pin'])),
  );

  app.patch(
    '/v1/appointments/:reference',
    {
      config: { access: 'public', rateLimit: PIN_RATE },
      schema: { tags, summary: 'Move a booking to another time of its site, with its PIN; a full slot leaves it where it was', ...withPin, body: Type.Object({ start: Type.String({ format: 'date-time' }) }, { additionalProperties: false }), response: { 200: AppointmentView, 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, 422: ProblemRef, 429: ProblemRef } },
    },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await booking.move(req.params.reference, req.headers['appointment-pin'], req.body.start)),
  );

  app.delete(
    '/v1/appointments/:reference',
    { config: { access: 'public', rateLimit: PIN_RATE }, schema: { tags, summary: 'Cancel: the place is free again at once', ...withPin, response: { 204: Type.Null(), 400: ProblemRef, 404: ProblemRef, 429: ProblemRef } } },
    async (req, reply) => {
      await booking.cancel(req.params.reference, req.headers['appointment-pin']);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/appointments/:reference/check-in',
    { config: { access: ['clerk'] }, schema: { tags, params: Type.Object({ reference: Reference }), response: { 200: Type.Object({ reference: Type.String(), start: Type.String(), checkedIn: Type.Boolean() }), 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, ...authErrors } } },
    async (req) => desk.checkIn(req.params.reference),
  );

  app.put(
    '/v1/booking-rights/:staffId',
    { config: { access: ['admin'] }, schema: { tags, summary: "Give a community organisation's partner account the right to book several places", params: Type.Object({ staffId: Uuid }), body: Type.Object({ maxPlaces: Type.Integer({ minimum: 2, maximum: 50 }) }, { additionalProperties: false }), response: { 204: Type.Null(), 400: ProblemRef, ...authErrors } } },
    async (req, reply) => {
      await booking.setBookingRight(req.params.staffId, req.body.maxPlaces);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/v1/booking-rights/:staffId',
    { config: { access: ['admin'] }, schema: { tags, params: Type.Object({ staffId: Uuid }), response: { 204: Type.Null(), 404: ProblemRef, ...authErrors } } },
    async (req, reply) => {
      await booking.deleteBookingRight(req.params.staffId);
      return reply.code(204).send(null);
    },
  );
}
