/**
 * The one error handler: every failure leaves as RFC 9457 problem+json with
 * a stable `type`/`code`, a title in the caller's language and, for bad
 * input, the failing field paths. 4xx log at info, 5xx at error with the
 * error's class, code, stack frames and route — never its message, which for
 * a driver error holds the SQL and its parameters (describe-error.ts); a 5xx
 * never shows its detail to the client.
 *
 * A problem answer is bounded whatever the input: at most MAX_FIELD_ERRORS
 * field errors, each path and message cut short, so a body built to fail
 * every rule cannot make an answer larger than itself (issue 13, finding 1).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { i18n } from 'i18next';
import { negotiateLanguage } from '../i18n/languages.js';
import { AppError, type FieldError } from './app-error.js';
import { PROBLEMS, problemType, type ProblemCode } from './catalogue.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { describeError } from './describe-error.js';
import { trackMethods } from '../http/method-not-allowed.js';

/** Field errors listed in one answer; a client fixes the first ones and sends again. */
export const MAX_FIELD_ERRORS = 20;
const MAX_PATH_CHARS = 200;
const MAX_MESSAGE_CHARS = 200;
const MAX_DETAIL_CHARS = 1000;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function bounded(errors: FieldError[]): FieldError[] {
  return errors.slice(0, MAX_FIELD_ERRORS).map((e) => ({ path: cut(String(e.path), MAX_PATH_CHARS), message: cut(String(e.message), MAX_MESSAGE_CHARS) }));
}

function fastifyCodeToProblem(err: FastifyError): ProblemCode | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'malformed-json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload-too-large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported-media-type' : 'validation-failed';
    case 'FST_ERR_VALIDATION':
      return 'validation-failed';
    case 'FST_JWT_NO_AUTHORIZATION_IN_HEADER':
      return 'unauthenticated';
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
    case 'FST_JWT_AUTHORIZATION_TOKEN_INVALID':
    case 'FST_JWT_AUTHORIZATION_TOKEN_UNSIGNED':
    case 'FST_JWT_BAD_REQUEST':
    case 'FST_JWT_BAD_COOKIE_REQUEST':
      return 'token-invalid';
    default:
      break;
  }
  if (err.statusCode === 429) return 'rate-limited';
  if (err.statusCode === 413) return 'payload-too-large';
  if (err.statusCode === 415) return 'unsupported-media-type';
  if (err.statusCode === 400 && (err as { validation?: unknown }).validation) return 'validation-failed';
  if (err instanceof SyntaxError || err.statusCode === 400) return 'malformed-json';
  return undefined;
}

function validationErrors(err: FastifyError): FieldError[] | undefined {
  const v = (err as { validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }> }).validation;
  if (!v) return undefined;
  const ctx = (err as { validationContext?: string }).validationContext ?? 'body';
  return v.slice(0, MAX_FIELD_ERRORS).map((e) => {
    let path = e.instancePath ?? '';
    const missing = e.params?.missingProperty ?? e.params?.additionalProperty;
    if (typeof missing === 'string') path = `${path}/${missing}`;
    return { path: `/${ctx}${path}`.replace(/\/$/, ''), message: e.message ?? 'is invalid' };
  });
}

export interface ProblemBody {
  type: string;
  code: ProblemCode;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [k: string]: unknown;
}

export function buildProblem(i18n: i18n, lang: string, code: ProblemCode, opts: { detail?: string; errors?: FieldError[]; extra?: Record<string, unknown> } = {}): ProblemBody {
  const status = PROBLEMS[code];
  return {
    ...opts.extra,
    type: problemType(code),
    code,
    title: i18n.t(code, { lng: lang, ns: 'errors' }),
    status,
    ...(opts.detail && status < 500 ? { detail: cut(opts.detail, MAX_DETAIL_CHARS) } : {}),
    ...(opts.errors ? { errors: bounded(opts.errors) } : {}),
  };
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, i18n: i18n, code: ProblemCode, opts: { detail?: string; errors?: FieldError[]; extra?: Record<string, unknown> } = {}) {
  const lang = negotiateLanguage(request.headers['accept-language']);
  const body = buildProblem(i18n, lang, code, opts);
  // A problem is about this request only: never cached, even when the route's answers are (a 500 from the status list).
  return reply.code(body.status).header('content-language', lang).header('cache-control', 'no-store').type('application/problem+json; charset=utf-8').send(body);
}

export function registerErrorHandler(app: FastifyInstance, i18n: i18n): void {
  // Before any route is added: a path known under other methods answers 405 with Allow, not 404.
  const methods = trackMethods(app);
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      request.log.info({ code: err.code }, 'request refused');
      if (err.options.headers) reply.headers(err.options.headers);
      return sendProblem(reply, request, i18n, err.code, err.options);
    }
    const code = fastifyCodeToProblem(err as FastifyError);
    if (code) {
      request.log.info({ code, fastifyCode: (err as FastifyError).code }, 'request refused');
      if (code === 'rate-limited' && (err as FastifyError & { headers?: Record<string, string> }).headers) {
        reply.headers((err as FastifyError & { headers: Record<string, string> }).headers);
      }
      return sendProblem(reply, request, i18n, code, {
        detail: code === 'validation-failed' ? 'The request has invalid fields.' : undefined,
        errors: code === 'validation-failed' ? validationErrors(err as FastifyError) : undefined,
      });
    }
    const unavailable = isDatabaseUnavailable(err);
    request.log.error({ error: describeError(err), method: request.method, route: request.routeOptions.url ?? '(no route)' }, unavailable ? 'database unavailable' : 'unhandled error');
    return sendProblem(reply, request, i18n, unavailable ? 'service-unavailable' : 'internal-error');
  });

  app.setNotFoundHandler((request, reply) => {
    const allowed = methods.allowed(request.url.split('?')[0]!);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return sendProblem(reply.header('allow', allowed.join(', ')), request, i18n, 'method-not-allowed');
    }
    return sendProblem(reply, request, i18n, 'route-not-found');
  });
}
