/**
 * No answer is kept by a browser or a shared cache unless its route says so
 * (issue 13, finding 11): `Cache-Control: no-store` is set on every answer
 * before its handler runs, so a route that forgets — a card read, a staff
 * list, an audit page — stays out of caches, and only the public documents
 * meant to be copied (keys, issuer metadata, status list, verifier bundle,
 * page assets) replace it with their own policy. Problems are always
 * no-store (error-handler.ts), even from a cacheable route.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

export default fp(
  async function cachePolicy(app: FastifyInstance) {
    app.addHook('onRequest', (_request, reply, done) => {
      reply.header('cache-control', 'no-store');
      done();
    });
  },
  { name: 'cache-policy' },
);
