/** GET /v1/verifier-directory: the world directory's issuers for the verifier page's "any city in the directory" (public, issue 19). */
import type { FastifyInstance } from 'fastify';
import { acceptsGzip, ifNoneMatchHits } from '../cards/etag.js';
import type { BundleService } from './bundle-service.js';

export async function directoryBundleRoutes(app: FastifyInstance, opts: { bundle: BundleService }) {
  app.get(
    '/v1/verifier-directory',
    {
      config: { access: 'public' },
      schema: {
        tags: ['verification'],
        summary:
          "The issuers of other countries that this city knows through the world directory — keys and signed status lists — as one JWS (lcc-directory-bundle+jwt) signed by this city's root key; the verifier page loads it only when asked. gzip when asked (35,000 issuers: tens of MB raw, a third of that gzipped; see BENCHMARKS.md)",
      },
    },
    async (req, reply) => {
      const { jws, gzip, etag } = await opts.bundle.directory();
      // As the verifier bundle: every copy revalidates (a 304 is cheap), so a revocation is seen by the next online check.
      reply.header('access-control-allow-origin', '*').header('cache-control', 'public, no-cache').header('etag', etag).header('vary', 'accept-encoding');
      if (ifNoneMatchHits(req.headers['if-none-match'], etag)) return reply.code(304).send();
      reply.type('application/jose');
      // Made once per build: a directory of 35,000 cities is tens of megabytes of base64url, which gzip shrinks to about a third.
      if (acceptsGzip(req.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(gzip);
      return reply.send(jws);
    },
  );
}
