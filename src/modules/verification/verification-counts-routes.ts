/** GET /v1/verification-counts: weekly figures for administrators, small cells withheld. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import { MIN_SERVED_COUNT, type VerificationCounts } from './verification-counts.js';

const Figure = Type.Union([Type.Integer({ minimum: MIN_SERVED_COUNT }), Type.Null()], { description: `null: fewer than ${MIN_SERVED_COUNT}, possibly none` });

export async function verificationCountsRoutes(base: FastifyInstance, opts: { counts: VerificationCounts }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/verification-counts',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['verification'],
        summary: `Checks per completed ISO week and issuer, valid and not valid; a figure under ${MIN_SERVED_COUNT} is null, and the week in progress is not shown (docs/privacy.md)`,
        querystring: Type.Object({ weeks: Type.Integer({ minimum: 1, maximum: 104, default: 12 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            threshold: Type.Integer(),
            items: Type.Array(Type.Object({ week: Type.String(), weekStart: Type.String(), issuer: Type.String(), valid: Figure, notValid: Figure })),
          }),
          400: ProblemRef,
          ...authErrors,
        },
      },
    },
    async (req, reply) => {
      const items = await opts.counts.completedWeeks(req.query.weeks);
      return reply.header('cache-control', 'no-store').send({ threshold: MIN_SERVED_COUNT, items });
    },
  );
}
