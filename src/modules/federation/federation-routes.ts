/** Partner cities and the national trust list: the administrator's federation API. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import type { FederationService } from './federation-service.js';
import { MAX_METADATA_CHARS } from './metadata-check.js';
import { MAX_TRUST_LIST_CHARS } from './trust-list.js';

const Jws = (maxLength: number) => Type.String({ minLength: 5, maxLength, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' });
const Fingerprint = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: "RFC 7638 SHA-256 thumbprint of the partner's root key, as confirmed with the partner" });
const IssuerId = Type.String({ pattern: '^[a-z]{2}-[a-z0-9][a-z0-9-]{0,30}$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const PartnerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  country: Type.String(),
  recognised: Type.Boolean(),
  source: Type.String(),
  state: Type.String(),
  rootFingerprint: Type.String(),
  metadataUrl: Nullable(Type.String()),
  statusListUrl: Nullable(Type.String()),
  keys: Type.Array(Type.Object({ kid: Type.String(), status: Type.String(), notBefore: Type.String(), notAfter: Type.String() })),
  revoked: Type.Array(Type.String()),
  metadataFetchedAt: Nullable(Type.String()),
  statusListFetchedAt: Nullable(Type.String()),
  statusListAge: Nullable(Type.Integer()),
  metadataAge: Nullable(Type.Integer()),
  lastSyncAt: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
});

const IdParams = Type.Object({ id: IssuerId });
const partnerErrors = { 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, 413: ProblemRef, 422: ProblemRef, 502: ProblemRef, ...authErrors };

export async function federationRoutes(base: FastifyInstance, opts: { federation: FederationService }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { federation } = opts;
  const actorOf = (req: { actor: { type: string; id: string } | null }) => ({ type: 'admin' as const, id: req.actor!.id });

  app.post(
    '/v1/federation/partners',
    {
      config: { access: ['admin'] },
      bodyLimit: 2 * MAX_METADATA_CHARS,
      schema: {
        tags: ['federation'],
        summary: "Register a partner city from its signed issuer metadata (pasted, or fetched from its URL), pinned by its root key's fingerprint confirmed out of band",
        body: Type.Object(
          {
            metadata: Type.Optional(Jws(MAX_METADATA_CHARS)),
            url: Type.Optional(Type.String({ maxLength: 2048, format: 'uri' })),
            fingerprint: Fingerprint,
          },
          { additionalProperties: false },
        ),
        response: { 200: PartnerView, 201: PartnerView, ...partnerErrors },
      },
    },
    async (req, reply) => {
      const { created, partner } = await federation.register(actorOf(req), req.body);
      return reply.code(created ? 201 : 200).send(partner);
    },
  );

  app.get(
    '/v1/federation/partners',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['federation'],
        summary: 'Partners by issuer id, with their state, last sync and the age of their copies (keyset pagination: ?after=<next>)',
        querystring: Type.Object(
          {
            after: Type.Optional(IssuerId),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            state: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('active')])),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(PartnerView), next: Type.Optional(Type.String()) }), 400: ProblemRef, ...authErrors },
      },
    },
    async (req) => federation.list(req.query),
  );

  app.get(
    '/v1/federation/partners/:id',
    { config: { access: ['admin'] }, schema: { tags: ['federation'], params: IdParams, response: { 200: PartnerView, 400: ProblemRef, 404: ProblemRef, ...authErrors } } },
    async (req) => federation.view(req.params.id),
  );

  app.delete(
    '/v1/federation/partners/:id',
    { config: { access: ['admin'] }, schema: { tags: ['federation'], params: IdParams, response: { 204: Type.Null(), 400: ProblemRef, 404: ProblemRef, ...authErrors } } },
    async (req, reply) => {
      await federation.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/federation/partners/:id/sync',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['federation'],
        summary: "Refresh a partner's metadata and status list now; a failure keeps the last good copy and shows in lastError",
        params: IdParams,
        response: { 200: PartnerView, 400: ProblemRef, 404: ProblemRef, ...authErrors },
      },
    },
    async (req) => federation.sync(req.params.id),
  );

  app.post(
    '/v1/federation/trust-list',
    {
      config: { access: ['admin'] },
      bodyLimit: MAX_TRUST_LIST_CHARS + 1024,
      schema: {
        tags: ['federation'],
        summary: 'Import the national trust list (lcc-trust-list+jwt signed by the configured trust anchor): listed issuers become partners pending their metadata',
        body: Type.Object({ trustList: Jws(MAX_TRUST_LIST_CHARS) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            country: Type.String(),
            iat: Type.Integer(),
            exp: Type.Integer(),
            issuers: Type.Integer(),
            added: Type.Integer(),
            updated: Type.Integer(),
            removed: Type.Integer(),
            unchanged: Type.Integer(),
            conflicts: Type.Array(Type.String()),
          }),
          ...partnerErrors,
        },
      },
    },
    async (req) => federation.importTrustList(actorOf(req), req.body.trustList),
  );
}
