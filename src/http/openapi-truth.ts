/**
 * What /openapi.json says about every operation, from what the server does
 * (issue 14, "an API description that tells the truth"). One @fastify/swagger
 * `transform` and `transformObject`, so a module's routes are described the
 * same way without each module repeating it:
 *
 * - **security** from the route's `config.access` (src/plugins/auth.ts):
 *   `[]` for a public route; otherwise one alternative per kind of bearer the
 *   route accepts — `staffToken` (its roles listed as the requirement's
 *   roles, as OpenAPI 3.1 allows), `serviceKey`, `residentSession`,
 *   `metricsToken`;
 * - **errors** as `application/problem+json` with the `Problem` schema
 *   (its `code` an enum of src/errors/catalogue.ts), whatever schema the route
 *   gave: the ones the route lists, plus those every route of its kind can
 *   answer — 401/403 when it is not public, 400 when it validates anything or
 *   reads a body, 413 and 415 when it reads a body (any method but GET and
 *   HEAD: Fastify parses a body sent with DELETE too), 429 unless the route
 *   turns the rate limit off, 5XX always (internal error, database
 *   unavailable). Each description names the catalogue codes of that status;
 * - **success** answers keep their schema; a route whose answer is not JSON
 *   says so in `config.openapi` (documentation only, never used to validate
 *   or serialise): `response` entries (`{ description, content: { 'application/pdf': … } }`),
 *   and for a body Fastify does not parse as JSON, `body` and `consumes`.
 *   A route that documents no success answer is given a `2XX` of any
 *   media type (`*\/*`) rather than a guess;
 * - **parameters with a default** are not marked required (the server fills
 *   them in).
 *
 * A wrong method on a known path answers 405 with `Allow`
 * (src/http/method-not-allowed.ts); that is stated once in the document's
 * description, not on every operation.
 */
import type { RouteOptions } from 'fastify';
import type { Access, Principal } from '../plugins/auth.js';
import { PROBLEMS } from '../errors/catalogue.js';

/** Documentation-only facts a route adds to what its runtime schema says. */
export interface OpenApiFacts {
  /** Answers by status, in @fastify/swagger's form; merged over the route's `schema.response`. */
  response?: Record<string, unknown>;
  /** A request body Fastify does not validate as JSON (an image); the media types a body may have, when not only JSON. */
  body?: Record<string, unknown>;
  consumes?: string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    openapi?: OpenApiFacts;
  }
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * A success answer that is not JSON, for `config.openapi.response`: its media
 * types, bytes (`binary`: a PDF, an image) or text (a JWS, a calendar).
 */
export function mediaAnswer(types: string | string[], description: string, kind: 'binary' | 'text' = 'binary') {
  const schema = kind === 'binary' ? { type: 'string', format: 'binary' } : { type: 'string' };
  return { description, content: Object.fromEntries([types].flat().map((t) => [t, { schema }])) };
}

/** 304 to a current If-None-Match: no body. */
export const NOT_MODIFIED = { type: 'null', description: 'Not modified: the If-None-Match ETag is current (no body)' } as const;

export const SECURITY_SCHEMES = {
  staffToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A staff access token from POST /v1/auth/login (HS256, short-lived). The requirement lists the staff roles the operation accepts.',
  },
  serviceKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'lcc_sk_…',
    description: "A partner service's key (POST /v1/service-keys), sent as `Authorization: Bearer lcc_sk_…`.",
  },
  residentSession: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A resident's portal session from POST /v1/self/claim or POST /v1/self/login.",
  },
  metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, for the metrics scraper only.' },
} as const;

const NON_STAFF: Record<string, keyof typeof SECURITY_SCHEMES> = { service_key: 'serviceKey', resident: 'residentSession', operator: 'metricsToken' };

/** The operation's `security`: `[]` for a public route, else one requirement per kind of bearer. */
export function securityFor(access: Access | undefined): Array<Record<string, string[]>> {
  if (!access || access === 'public') return [];
  const staff = access.filter((p: Principal) => !(p in NON_STAFF));
  const out: Array<Record<string, string[]>> = [];
  if (staff.length > 0) out.push({ staffToken: [...staff] });
  for (const p of access) if (p in NON_STAFF) out.push({ [NON_STAFF[p]!]: [] });
  return out;
}

/** Catalogue codes answered with `status`, for the description. */
export function codesFor(status: number): string[] {
  return Object.entries(PROBLEMS)
    .filter(([, s]) => s === status)
    .map(([code]) => code);
}

const WHY: Record<string, string> = {
  '400': 'The request is not valid',
  '401': 'No valid credentials',
  '403': 'The caller may not do this',
  '404': 'Not found',
  '405': 'Method not allowed',
  '409': 'Conflicts with the current state',
  '410': 'Gone',
  '412': 'The If-Match precondition failed',
  '413': 'The body is too large',
  '415': 'The body’s media type is not accepted',
  '422': 'Well-formed but refused',
  '428': 'If-Match is required',
  '429': 'Too many requests',
  '5XX': 'The service failed or its database is unavailable',
};

function problemResponse(status: string, description?: string) {
  const codes = status === '5XX' ? [...codesFor(500), ...codesFor(503)] : codesFor(Number(status));
  const base = description && description !== 'Default Response' ? description : (WHY[status] ?? 'Refused');
  return {
    description: `${base} (problem+json${codes.length > 0 ? `; code: ${codes.join(', ')}` : ''})`,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: 'Problem' } } },
  };
}

const isError = (status: string) => /^[45]/.test(status);
const isSuccess = (status: string) => /^[23]/.test(status);

/** Drops from `required` every property the schema gives a default (the server fills it in). */
function withoutDefaultedRequired(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as { properties?: Record<string, { default?: unknown }>; required?: string[] };
  if (!s.properties || !Array.isArray(s.required)) return schema;
  const required = s.required.filter((k) => s.properties![k]?.default === undefined);
  const copy: Record<string, unknown> = { ...s, required };
  if (required.length === 0) delete copy.required;
  return copy;
}

interface TransformInput {
  schema: Record<string, unknown> | undefined;
  url: string;
  route: RouteOptions;
}

/** @fastify/swagger `transform`: the operation as the server answers it. */
export function describeRoute({ schema, url, route }: TransformInput): { schema: Record<string, unknown>; url: string } {
  const s: Record<string, unknown> = { ...(schema ?? {}) };
  if (s.hide) return { schema: s, url };
  const facts = route.config?.openapi ?? {};
  const access = route.config?.access;
  const methods = [route.method].flat().map((m) => String(m).toUpperCase());
  const readsBody = methods.some((m) => m !== 'GET' && m !== 'HEAD');

  s.security = securityFor(access);
  if (facts.body) s.body = facts.body;
  if (facts.consumes) s.consumes = facts.consumes;
  for (const part of ['querystring', 'headers'] as const) if (s[part]) s[part] = withoutDefaultedRequired(s[part]);

  const declared: Record<string, unknown> = { ...((schema?.response as Record<string, unknown>) ?? {}), ...(facts.response ?? {}) };
  const response: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(declared)) {
    response[status] = isError(status) ? problemResponse(status, (r as { description?: string })?.description) : r;
  }
  // A route that says nothing of its success answer: any media type, shape undocumented (true, if vague), not "JSON".
  if (!Object.keys(response).some(isSuccess)) response['2XX'] = { description: 'Success (this operation documents neither the media type nor the shape of its answer)', content: { '*/*': { schema: {} } } };

  const add = (status: string) => {
    if (!response[status]) response[status] = problemResponse(status);
  };
  if (access && access !== 'public') {
    add('401');
    add('403');
  }
  if (readsBody || s.querystring || s.params || s.headers || s.body) add('400');
  if (readsBody) {
    add('413');
    add('415');
  }
  if (route.config?.rateLimit !== false) add('429');
  add('5XX');
  s.response = response;
  return { schema: s, url };
}

/** @fastify/swagger `transformObject`: the document-wide parts. */
export function describeDocument({ openapiObject }: { openapiObject: Record<string, unknown> }): Record<string, unknown> {
  const components = (openapiObject.components ?? {}) as { schemas?: Record<string, Record<string, unknown>> };
  const problem = components.schemas?.Problem as { properties?: Record<string, Record<string, unknown>> } | undefined;
  if (problem?.properties?.code) problem.properties.code = { ...problem.properties.code, enum: Object.keys(PROBLEMS) };
  return openapiObject;
}

export const DOCUMENT_DESCRIPTION =
  'Municipal ID cards that protect their holders. Errors are RFC 9457 `application/problem+json` with a stable `code` (the Problem schema). ' +
  'A method a path does not have answers 405 `method-not-allowed` with an `Allow` header naming the ones it has. ' +
  'Every operation states its security: `[]` is public.';
