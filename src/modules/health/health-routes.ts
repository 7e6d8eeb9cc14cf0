/** Liveness and readiness for load balancers and orchestrators. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

export async function healthRoutes(app: FastifyInstance, opts: { ping: () => Promise<void> }) {
  const Status = Type.Object({ status: Type.String() });
  app.get('/healthz', { config: { access: 'public' }, schema: { tags: ['operator'], response: { 200: Status } } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { config: { access: 'public' }, schema: { tags: ['operator'], response: { 200: Status, 503: Status } } },
    async (_req, reply) => {
      try {
        await Promise.race([opts.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
        return { status: 'ready' };
      } catch {
        return reply.code(503).send({ status: 'database unavailable' });
      }
    },
  );
}
