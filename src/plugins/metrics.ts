/**
 * Prometheus metrics at /metrics, one registry per app (tests build many).
 * Requests are labelled by route pattern and status — never by raw URL.
 * Per-route activity in real time tells who is working when: /metrics is
 * served only when METRICS_TOKEN is set, to the `operator` principal (that
 * bearer) alone; without it the route does not exist (404).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

export default fp(
  async function metrics(app: FastifyInstance, opts: { serve: boolean }) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const requests = new Counter({ name: 'lcc_http_requests_total', help: 'HTTP requests by route pattern and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
    const duration = new Histogram({
      name: 'lcc_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    app.decorate('metrics', registry);
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
    if (!opts.serve) return;
    app.get('/metrics', { config: { access: ['operator'] }, schema: { hide: true } }, async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
