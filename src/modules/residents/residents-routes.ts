/**
 * Resident enrolment, edits, search, photo and erasure (HTTP only; logic in
 * residents-service).
 *
 * Access: resident records are for clerks only — the role that enrols,
 * takes photos and issues cards (DESIGN.md "Main routes"). Administrators
 * manage staff, keys and the audit, not personal records: separation of
 * duties, so a single admin account cannot read residents without leaving
 * a `staff.create` trace. The evidence rules hold no personal data: clerks
 * and admins may read them.
 *
 * Concurrency: every record answer carries `ETag: "<version>"`. PATCH needs
 * `If-Match` (428 without it, 412 when stale); PUT photo and DELETE honour
 * it when sent.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { authErrors, ProblemRef, Uuid } from '../../http/schemas.js';
import type { Actor, ActorType } from '../audit/audit-service.js';
import { PHOTO_MAX_BYTES } from './photo.js';
import { EnrolBody, EnrolResult, EvidenceRulesView, PatchBody, ResidentView, SearchQuery } from './residents-schemas.js';
import type { Expected, ResidentsService } from './residents-service.js';
import { mediaAnswer } from '../../http/openapi-truth.js';

const CLERK = ['clerk'] as const;
const IdParams = Type.Object({ id: Uuid });

const etag = (version: number) => `"${version}"`;

/** RFC 9110 §13.1.1: If-Match uses strong comparison; weak tags never match. */
export function parseIfMatch(header: string | undefined): Expected {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return 'any';
  const versions: number[] = [];
  for (const tag of header.split(',')) {
    const m = /^\s*"(\d{1,9})"\s*$/.exec(tag);
    if (m) versions.push(Number(m[1]));
  }
  return versions;
}

function actorOf(req: FastifyRequest): Actor {
  return { type: req.actor!.type as ActorType, id: req.actor!.id };
}

export async function residentsRoutes(base: FastifyInstance, opts: { residents: ResidentsService }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { residents } = opts;

  // Photos arrive as raw bytes; their real type is checked by content (photo.ts). Scoped to this plugin.
  app.addContentTypeParser(['image/jpeg', 'image/png'], { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES }, (_req, body, done) => done(null, body));
  // RFC 7396: a PATCH may say what it is.
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  // Personal answers: never kept by a browser or a shared cache.
  app.addHook('onSend', async (_req, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get(
    '/v1/evidence-rules',
    {
      config: { access: ['clerk', 'admin'] },
      schema: { tags: ['residents'], summary: "The city's document types and their points, for the clerk's checklist", response: { 200: EvidenceRulesView, ...authErrors } },
    },
    async () => residents.evidenceRules(),
  );

  app.post(
    '/v1/residents',
    {
      config: { access: CLERK },
      schema: {
        tags: ['residents'],
        summary: 'Enrol a resident; possible duplicates (same name and birth date) are reported, not refused',
        body: EnrolBody,
        response: { 201: EnrolResult, 400: ProblemRef, 413: ProblemRef, 422: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => {
      const result = await residents.enrol(actorOf(req), req.body);
      return reply.code(201).header('location', `/v1/residents/${result.resident.id}`).header('etag', etag(result.resident.version)).send(result);
    },
  );

  app.get(
    '/v1/residents',
    {
      config: { access: CLERK },
      schema: {
        tags: ['residents'],
        summary: 'Search by name (and birth date) or card number; page with `after` = `next`',
        querystring: SearchQuery,
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), version: Type.Integer(), names: ResidentView.properties.names, birthDate: ResidentView.properties.birthDate })), next: Type.Union([Type.String(), Type.Null()]) }),
          400: ProblemRef,
          ...authErrors,
        },
      },
    },
    async (req) => residents.search(actorOf(req), req.query),
  );

  app.get(
    '/v1/residents/:id',
    { config: { access: CLERK }, schema: { tags: ['residents'], params: IdParams, response: { 200: ResidentView, 404: ProblemRef, ...authErrors } } },
    async (req, reply) => {
      const r = await residents.get(actorOf(req), req.params.id);
      return reply.header('etag', etag(r.version)).send(r);
    },
  );

  app.patch(
    '/v1/residents/:id',
    {
      config: { access: CLERK, openapi: { consumes: ['application/merge-patch+json', 'application/json'] } },
      schema: {
        tags: ['residents'],
        summary: 'Edit a record (JSON Merge Patch: null removes); needs If-Match',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: PatchBody,
        response: { 200: ResidentView, 400: ProblemRef, 404: ProblemRef, 412: ProblemRef, 422: ProblemRef, 428: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => {
      const expected = parseIfMatch(req.headers['if-match']);
      if (expected === undefined) throw new AppError('precondition-required');
      const r = await residents.update(actorOf(req), req.params.id, req.body, expected);
      return reply.header('etag', etag(r.version)).send(r);
    },
  );

  app.delete(
    '/v1/residents/:id',
    {
      config: { access: CLERK },
      schema: {
        tags: ['residents'],
        summary: 'Erase a resident: cards revoked, record, photo and indexes deleted; the audit keeps only that it happened',
        params: IdParams,
        response: { 204: Type.Null(), 404: ProblemRef, 412: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => {
      await residents.erase(actorOf(req), req.params.id, parseIfMatch(req.headers['if-match']));
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/v1/residents/:id/photo',
    {
      config: { access: CLERK, openapi: { body: { type: 'string', format: 'binary' }, consumes: ['image/jpeg', 'image/png'] } },
      bodyLimit: PHOTO_MAX_BYTES,
      schema: {
        tags: ['residents'],
        summary: 'Set the card photo (image/jpeg or image/png body); re-encoded as JPEG without metadata',
        params: IdParams,
        response: { 200: ResidentView, 400: ProblemRef, 404: ProblemRef, 412: ProblemRef, 413: ProblemRef, 415: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => {
      const body = req.body;
      if (!Buffer.isBuffer(body)) throw new AppError('unsupported-media-type', { detail: 'Send the photo as image/jpeg or image/png.' });
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const r = await residents.setPhoto(actorOf(req), req.params.id, body, contentType, parseIfMatch(req.headers['if-match']));
      return reply.header('etag', etag(r.version)).send(r);
    },
  );

  app.get(
    '/v1/residents/:id/photo',
    {
      config: { access: CLERK, openapi: { response: { 200: mediaAnswer('image/jpeg', 'The card photo') } } },
      schema: { tags: ['residents'], summary: 'The card photo (JPEG)', params: IdParams, response: { 404: ProblemRef, ...authErrors } },
    },
    async (req, reply) => {
      const { jpeg } = await residents.photo(actorOf(req), req.params.id);
      return reply.type('image/jpeg').send(jpeg);
    },
  );
}
