/**
 * The door over HTTP: the organiser's door code, and what a door phone does
 * with it (no account: the code in the body, never in a URL that logs keep).
 * Staff with the `door` role use `/v1/events/:id/check-ins` and
 * `/v1/events/:id/tickets` instead (events-routes.ts), and sync offline
 * admissions with `/v1/events/:id/offline-admissions`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import type { Actor } from '../audit/audit-service.js';
import type { DoorService } from './events-door-service.js';
import type { RsvpService } from './events-rsvp-service.js';
import { EventView } from './events-schemas.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, ...authErrors };
const actorOf = (req: FastifyRequest): Actor => ({ type: req.actor!.type as Actor['type'], id: req.actor!.id });
const Code = Type.String({ minLength: 12, maxLength: 20, description: 'The door code as printed, e.g. 7KQ2-M9XD-4WTA' });
const Hash = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Offline = { hashes: Type.Array(Hash, { maxItems: 100_000 }), cards: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })) };
export const TicketList = Type.Object({ eventId: Type.String(), generatedAt: Type.String(), hashes: Type.Array(Type.Object({ hash: Type.String(), admitted: Type.Boolean() })) });
export const Admitted = Type.Object({ admitted: Type.Literal(true), at: Type.String(), kind: Type.Union([Type.Literal('ticket'), Type.Literal('card'), Type.Literal('resident_proof')]) });
const OfflineAnswer = Type.Object({ admitted: Type.Integer(), already: Type.Integer(), unknown: Type.Integer(), cards: Type.Integer() });
/** Enough for a busy door; a guess at a 60-bit code gets nowhere at this rate. */
const DOOR_RATE = { max: 600, timeWindow: '1 minute' };

export async function doorRoutes(base: FastifyInstance, opts: { door: DoorService; rsvp: RsvpService }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { door, rsvp } = opts;
  const tags = ['events'];

  app.post('/v1/events/:id/door-code', { config: { access: ['admin', 'organiser'] }, schema: { tags, summary: 'A new door code for the event (the old one stops working); shown once, to print', params: Id, response: { 201: Type.Object({ code: Type.String() }), ...errors } } }, async (req, reply) =>
    reply.code(201).header('cache-control', 'no-store').send(await door.setCode(actorOf(req), req.params.id)),
  );
  app.delete('/v1/events/:id/door-code', { config: { access: ['admin', 'organiser'] }, schema: { tags, params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await door.clearCode(actorOf(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.post(
    '/v1/events/:id/offline-admissions',
    { config: { access: ['door', 'organiser'] }, schema: { tags, summary: 'What the door admitted offline: ticket hashes, and cards counted at a card-holders event', params: Id, body: Type.Object(Offline, { additionalProperties: false }), response: { 200: OfflineAnswer, ...errors } } },
    async (req) => rsvp.admitOffline(actorOf(req), req.params.id, req.body),
  );

  // With the door code, no account.
  app.post(
    '/v1/door',
    { config: { access: 'public', rateLimit: DOOR_RATE }, schema: { tags, summary: 'The door kit: the event the code opens, how it admits, its ticket list as hashes', body: Type.Object({ code: Code }, { additionalProperties: false }), response: { 200: Type.Intersect([TicketList, Type.Object({ event: EventView, admits: Type.String() })]), 400: ProblemRef, 401: ProblemRef, 429: ProblemRef } } },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await door.kit(req.body.code)),
  );
  app.post(
    '/v1/door/check-ins',
    { config: { access: 'public', rateLimit: DOOR_RATE }, schema: { tags, summary: 'Admit a ticket (or, at a card-holders event without RSVP, a card or resident proof) with the door code', body: Type.Object({ code: Code, qr: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }), response: { 201: Admitted, 401: ProblemRef, 422: ProblemRef, 429: ProblemRef, 400: ProblemRef, 404: ProblemRef, 409: ProblemRef } } },
    async (req, reply) => reply.code(201).send(await door.checkIn(req.body.code, req.body.qr)),
  );
  app.post(
    '/v1/door/offline-admissions',
    { config: { access: 'public', rateLimit: DOOR_RATE }, schema: { tags, body: Type.Object({ code: Code, ...Offline }, { additionalProperties: false }), response: { 200: OfflineAnswer, 400: ProblemRef, 401: ProblemRef, 404: ProblemRef, 429: ProblemRef } } },
    async (req) => door.admitOffline(req.body.code, { hashes: req.body.hashes, ...(req.body.cards !== undefined ? { cards: req.body.cards } : {}) }),
  );
}
