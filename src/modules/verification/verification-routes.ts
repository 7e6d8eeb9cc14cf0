/** POST /v1/verify for officials and partner services; the public verifier bundle. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import { MAX_QR_TEXT_LENGTH } from '../../credential/index.js';
import type { BundleService } from './bundle-service.js';
import { ifNoneMatchHits } from '../cards/etag.js';
import { VERIFY_RESPONSE, type Viewer } from './profiles.js';
import type { VerificationService } from './verification-service.js';
import { partnerCallerOf } from '../benefits/counter-hook.js';
import { mediaAnswer, NOT_MODIFIED } from '../../http/openapi-truth.js';

export async function verificationRoutes(base: FastifyInstance, opts: { verification: VerificationService; bundle: BundleService; rateLimit: number }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  for (const schema of Object.values(VERIFY_RESPONSE)) app.addSchema(schema);

  app.post(
    '/v1/verify',
    {
      config: { access: ['official', 'partner_service', 'service_key'], rateLimit: { max: opts.rateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['verification'],
        summary: 'Check a card or a resident proof: the Base45 text of its QR code (a MOSIP Claim 169 CWT, COSE_Sign1, zlib). What the answer shows of the holder depends on the caller: an official sees the full card, a partner service its profile.',
        body: Type.Object({ qr: Type.String({ minLength: 1, maxLength: MAX_QR_TEXT_LENGTH }) }, { additionalProperties: false }),
        response: {
          200: Type.Union(Object.values(VERIFY_RESPONSE).map((s) => Type.Ref((s as { $id: string }).$id))),
          400: ProblemRef,
          413: ProblemRef,
          ...authErrors,
        },
      },
    },
    async (req, reply) => {
      const actor = req.actor!;
      const viewer: Viewer = actor.type === 'official' ? 'full' : (actor.profile ?? 'residency_only');
      const answer = await opts.verification.verify(req.body.qr, viewer, partnerCallerOf(req));
      // The profile's own schema serialises the answer: a field it does not name cannot leave.
      reply.serializer(reply.compileSerializationSchema(VERIFY_RESPONSE[viewer] as Record<string, unknown>));
      return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(answer as never);
    },
  );

  app.get(
    '/v1/verifier-bundle',
    {
      config: { access: 'public', openapi: { response: { 200: mediaAnswer('application/jose', 'The verifier bundle: a compact JWS', 'text'), 304: NOT_MODIFIED } } },
      schema: {
        tags: ['verification'],
        summary: "Everything an offline verifier needs — trusted issuers' keys and signed status lists — as one JWS signed by this city's root key",
      },
    },
    async (req, reply) => {
      const { jws, etag } = await opts.bundle.current();
      // no-cache: every copy revalidates (a 304 is cheap), so a revocation is seen by the next online check, not minutes later.
      reply.header('access-control-allow-origin', '*').header('cache-control', 'public, no-cache').header('etag', etag);
      if (ifNoneMatchHits(req.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply.type('application/jose').send(jws);
    },
  );
}
