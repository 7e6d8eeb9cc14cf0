/** Public key discovery (CORS open) and the administrator's key operations. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import type { KeysService } from './keys-service.js';
import { mediaAnswer, NOT_MODIFIED } from '../../http/openapi-truth.js';

const KeyView = Type.Object({
  kid: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
});

export async function keysRoutes(base: FastifyInstance, opts: { keys: KeysService }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { keys } = opts;
  const actorOf = (req: { actor: { type: string; id: string } | null }) => ({ type: 'admin' as const, id: req.actor!.id });

  app.get(
    '/.well-known/jwks.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['federation'],
        summary: "The city's public signing keys: current, and retired ones still needed for unexpired cards",
        response: { 200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.String())) }) },
      },
    },
    async (_req, reply) => {
      reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=300');
      return keys.jwks();
    },
  );

  app.get(
    '/.well-known/lcc-issuer',
    {
      config: { access: 'public', openapi: { response: { 200: mediaAnswer('application/jose', 'Issuer metadata: a compact JWS', 'text'), 304: NOT_MODIFIED } } },
      schema: { tags: ['federation'], summary: 'Issuer metadata as a JWS signed by the root key (application/jose); supports If-None-Match' },
    },
    async (req, reply) => {
      const { jws, etag } = await keys.metadata();
      reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=300').header('etag', etag);
      // Partners revalidate on every sync (If-None-Match): unchanged metadata costs them a 304.
      if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === etag)) return reply.code(304).send();
      return reply.type('application/jose').send(jws);
    },
  );

  app.get(
    '/v1/keys',
    { config: { access: ['admin'] }, schema: { tags: ['keys'], response: { 200: Type.Object({ items: Type.Array(KeyView) }), ...authErrors } } },
    async () => ({ items: await keys.list() }),
  );

  app.post(
    '/v1/keys/rotate',
    { config: { access: ['admin'] }, schema: { tags: ['keys'], summary: 'Start a new signing key; the old one retires', response: { 201: KeyView, ...authErrors } } },
    async (req, reply) => reply.code(201).send(await keys.rotate(actorOf(req))),
  );

  app.post(
    '/v1/keys/:kid/revoke',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['keys'],
        summary: 'Revoke a compromised signing key: every card it signed reports key_revoked',
        params: Type.Object({ kid: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) }),
        response: { 200: KeyView, 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, ...authErrors },
      },
    },
    async (req) => keys.revoke(actorOf(req), req.params.kid),
  );
}
