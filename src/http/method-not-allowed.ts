/**
 * Which methods a path has, for a 405 `method-not-allowed` with `Allow`
 * (RFC 9110 §15.5.6) instead of a 404 when the path exists under another
 * method. Every route is recorded as it is added (an `onRoute` hook on the
 * root instance, so every module's routes count, whoever adds them); the
 * catch-all OPTIONS route of CORS and wildcard routes do not make a path
 * known.
 */
import type { FastifyInstance } from 'fastify';

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A Fastify route path as a regular expression over request paths: `:name`
 * matches one non-empty segment part (up to the next `/`, or the static text
 * that follows it, as in `/:id.ics`); `*` matches the rest.
 */
export function routePattern(url: string): RegExp {
  let out = '';
  for (const part of url.split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?|\*)/)) {
    if (part === '*') out += '.*';
    else if (part.startsWith(':')) out += '[^/]+?';
    else out += escape(part);
  }
  return new RegExp(`^${out}$`);
}

export interface MethodRegistry {
  /** The methods `path` has, in a stable order; empty when no route has that path. */
  allowed(path: string): string[];
}

export function trackMethods(app: FastifyInstance): MethodRegistry {
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    routes.push({ pattern: routePattern(route.url), methods: [route.method].flat().map((m) => String(m).toUpperCase()) });
  });
  return {
    allowed(path) {
      const found = new Set<string>();
      for (const r of routes) if (r.pattern.test(path)) for (const m of r.methods) found.add(m);
      return METHOD_ORDER.filter((m) => found.has(m)).concat([...found].filter((m) => !METHOD_ORDER.includes(m)).sort());
    },
  };
}
