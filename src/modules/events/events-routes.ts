/** Welcoming Week over HTTP (logic in events-service and events-rsvp-service). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import { mediaAnswer } from '../../http/openapi-truth.js';
import type { Actor } from '../audit/audit-service.js';
import type { EventsService } from './events-service.js';
import type { RsvpService } from './events-rsvp-service.js';
import type { DoorService } from './events-door-service.js';
import { Admitted, doorRoutes, TicketList } from './events-door-routes.js';
import {
  DrawRecord,
  EditionBody,
  EditionView,
  EventBody,
  EventPatchBody,
  EventQuery,
  EventView,
  MilestoneBody,
  MilestoneKeyParam,
  RsvpView,
  SpaceBody,
  SpacePatchBody,
  SpaceView,
} from './events-schemas.js';

const ORGANISERS = ['admin', 'organiser'] as const;
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, ...authErrors };
const actorOf = (req: FastifyRequest): Actor => ({ type: req.actor!.type as Actor['type'], id: req.actor!.id });
/** Purge runs this often; an event's RSVPs go at the first run after seven days have passed. */
const PURGE_EVERY_MS = 3600_000;

export async function eventsRoutes(base: FastifyInstance, opts: { events: EventsService; rsvp: RsvpService; door: DoorService; lang: string; purgeEveryMs?: number }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { events, rsvp } = opts;
  const tags = ['events'];

  const filterOf = (q: { edition?: string; category?: string; language?: string; from?: string; to?: string; cardHoldersOnly?: boolean }) => ({
    editionId: q.edition,
    category: q.category,
    language: q.language,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    access: q.cardHoldersOnly ? 'card-holders' : undefined,
  });

  // Public programme: no account needed.
  app.get('/v1/events', { config: { access: 'public' }, schema: { tags, querystring: EventQuery, response: { 200: Type.Object({ items: Type.Array(EventView) }), 400: ProblemRef } } }, async (req) => ({
    items: await events.list(filterOf(req.query)),
  }));
  app.get('/v1/events.ics', { config: { access: 'public', openapi: { response: { 200: mediaAnswer('text/calendar', 'The programme as an iCalendar file', 'text') } } }, schema: { tags, summary: 'The programme as an RFC 5545 calendar', querystring: EventQuery } }, async (req, reply) =>
    reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', 'inline; filename="welcoming-week.ics"')
      .send(events.ics(await events.list(filterOf(req.query)), req.query.lang ?? opts.lang)),
  );
  app.get(
    '/v1/events/:id.ics',
    { config: { access: 'public', openapi: { response: { 200: mediaAnswer('text/calendar', 'The event as an iCalendar file', 'text') } } }, schema: { tags, params: Id, querystring: Type.Object({ lang: EventQuery.properties.lang }, { additionalProperties: false }), response: { 404: ProblemRef } } },
    async (req, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `inline; filename="event-${req.params.id}.ics"`)
        .send(events.ics([await events.get(req.params.id, { published: true })], req.query.lang ?? opts.lang)),
  );
  app.get('/v1/events/:id/draw', { config: { access: 'public' }, schema: { tags, summary: 'The lottery’s commitment, and after the draw its seed, entries and order', params: Id, response: { 200: DrawRecord, 404: ProblemRef } } }, async (req) =>
    rsvp.drawRecord(req.params.id),
  );

  // Organisers: the programme, editions, spaces.
  app.post('/v1/events', { config: { access: [...ORGANISERS, 'partner_service'] }, schema: { tags, summary: 'Create an event (a partner organisation’s is a proposal until published)', body: EventBody, response: { 201: EventView, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await events.createEvent(actorOf(req), req.body)),
  );
  app.get('/v1/event-proposals', { config: { access: ORGANISERS }, schema: { tags, response: { 200: Type.Object({ items: Type.Array(EventView) }), ...authErrors } } }, async () => ({ items: await events.list({ status: 'proposed' }) }));
  app.patch('/v1/events/:id', { config: { access: ORGANISERS }, schema: { tags, params: Id, body: EventPatchBody, response: { 200: EventView, ...errors } } }, async (req) =>
    events.updateEvent(actorOf(req), req.params.id, req.body),
  );
  app.post('/v1/events/:id/publish', { config: { access: ORGANISERS }, schema: { tags, params: Id, response: { 200: EventView, ...errors } } }, async (req) => events.publish(actorOf(req), req.params.id));
  app.delete('/v1/events/:id', { config: { access: ORGANISERS }, schema: { tags, params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await events.deleteEvent(actorOf(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.post('/v1/events/:id/draw', { config: { access: ORGANISERS }, schema: { tags, params: Id, response: { 200: DrawRecord, ...errors } } }, async (req) => rsvp.draw(actorOf(req), req.params.id));
  app.get(
    '/v1/events/:id/counts',
    { config: { access: ORGANISERS }, schema: { tags, params: Id, response: { 200: Type.Object({ confirmed: Type.Integer(), waitlisted: Type.Integer(), entered: Type.Integer(), admitted: Type.Integer(), entries: Type.Integer(), purged: Type.Boolean() }), ...errors } } },
    async (req) => rsvp.counts(req.params.id),
  );
  app.post('/v1/event-editions', { config: { access: ORGANISERS }, schema: { tags, body: EditionBody, response: { 201: EditionView, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await events.createEdition(actorOf(req), req.body)),
  );
  app.get('/v1/event-editions', { config: { access: ORGANISERS }, schema: { tags, summary: 'Editions with their timeline; `late` marks what is overdue', response: { 200: Type.Object({ items: Type.Array(EditionView) }), ...authErrors } } }, async () => ({
    items: await events.listEditions(),
  }));
  app.patch(
    '/v1/event-editions/:id/milestones/:key',
    { config: { access: ORGANISERS }, schema: { tags, params: Type.Object({ id: Type.String({ format: 'uuid' }), key: MilestoneKeyParam }), body: MilestoneBody, response: { 200: EditionView, ...errors } } },
    async (req) => events.updateMilestone(actorOf(req), req.params.id, req.params.key, req.body),
  );
  app.post('/v1/event-spaces', { config: { access: ORGANISERS }, schema: { tags, body: SpaceBody, response: { 201: SpaceView, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await events.createSpace(actorOf(req), req.body)),
  );
  app.get('/v1/event-spaces', { config: { access: ORGANISERS }, schema: { tags, response: { 200: Type.Object({ items: Type.Array(SpaceView) }), ...authErrors } } }, async () => ({ items: await events.listSpaces() }));
  app.patch('/v1/event-spaces/:id', { config: { access: ORGANISERS }, schema: { tags, params: Id, body: SpacePatchBody, response: { 200: SpaceView, ...errors } } }, async (req) =>
    events.updateSpace(actorOf(req), req.params.id, req.body),
  );

  // The door.
  app.post(
    '/v1/events/:id/check-ins',
    { config: { access: ['door', 'organiser'] }, schema: { tags, params: Id, summary: 'Admit a ticket; at a card-holders event without RSVP, a valid card or resident proof of this city', body: Type.Object({ qr: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }), response: { 201: Admitted, 422: ProblemRef, ...errors } } },
    async (req, reply) => reply.code(201).send(await rsvp.checkIn(actorOf(req), req.params.id, req.body.qr)),
  );
  app.get(
    '/v1/events/:id/tickets',
    { config: { access: ['door', 'organiser'] }, schema: { tags, summary: 'The offline list: SHA-256 of each ticket id with a place', params: Id, response: { 200: TicketList, ...errors } } },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await rsvp.ticketList(req.params.id)),
  );

  await doorRoutes(app, { door: opts.door, rsvp });

  // The holder, at the portal; a clerk, at the desk.
  app.post('/v1/self/events/:id/rsvp', { config: { access: ['resident'] }, schema: { tags: ['resident portal'], params: Id, response: { 201: RsvpView, ...errors } } }, async (req, reply) =>
    reply.code(201).header('cache-control', 'no-store').send(await rsvp.rsvpSelf(req.actor!.id, req.params.id)),
  );
  app.delete('/v1/self/events/:id/rsvp', { config: { access: ['resident'] }, schema: { tags: ['resident portal'], params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await rsvp.cancelSelf(req.actor!.id, req.params.id);
    return reply.code(204).send(null);
  });
  app.get(
    '/v1/self/events',
    { config: { access: ['resident'] }, schema: { tags: ['resident portal'], response: { 200: Type.Object({ items: Type.Array(Type.Intersect([Type.Object({ event: EventView }), RsvpView])) }), ...authErrors } } },
    async (req, reply) => reply.header('cache-control', 'no-store').send({ items: await rsvp.mine(req.actor!.id) }),
  );
  const Desk = Type.Object({ number: Type.String({ minLength: 10, maxLength: 16 }) }, { additionalProperties: false });
  app.post('/v1/events/:id/rsvps', { config: { access: ['clerk'] }, schema: { tags, summary: 'RSVP at the desk for the holder of the card in hand', params: Id, body: Desk, response: { 201: RsvpView, ...errors } } }, async (req, reply) =>
    reply.code(201).header('cache-control', 'no-store').send(await rsvp.rsvpAtDesk(actorOf(req), req.body.number, req.params.id)),
  );
  app.delete(
    '/v1/events/:id/rsvps/:number',
    { config: { access: ['clerk'] }, schema: { tags, params: Type.Object({ id: Type.String({ format: 'uuid' }), number: Type.String({ minLength: 10, maxLength: 16 }) }), response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      await rsvp.cancelAtDesk(actorOf(req), req.params.number, req.params.id);
      return reply.code(204).send(null);
    },
  );

  // Forget who came: an hourly purge (a missed run is caught up by the next).
  let timer: NodeJS.Timeout | undefined;
  const every = opts.purgeEveryMs ?? PURGE_EVERY_MS;
  app.addHook('onReady', async () => {
    if (every > 0) {
      timer = setInterval(() => void rsvp.purge().catch((e: unknown) => app.log.error({ err: e }, 'events purge failed')), every);
      timer.unref();
    }
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
