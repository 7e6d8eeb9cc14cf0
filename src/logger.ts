/**
 * pino options. Requests are logged by method and route *pattern* only —
 * never the raw URL (it may hold a card number), the client address or a
 * body — and a redaction list strips personal fields and secrets wherever
 * they would otherwise appear in a log object. Errors are logged by class,
 * code and stack frames, never by message (src/errors/describe-error.ts).
 */
import type { FastifyServerOptions } from 'fastify';
import { describeError } from './errors/describe-error.js';

const SENSITIVE = [
  'password', 'newPassword', 'pin', 'passphrase', 'claimCode', 'token', 'accessToken', 'secret', 'authorization', 'cookie',
  'names', 'printed', 'legal', 'original', 'transliteration', 'birthDate', 'address', 'careOf', 'photo', 'qr', 'number', 'cardNumber',
];

export const REDACT_PATHS = [
  ...SENSITIVE,
  ...SENSITIVE.map((k) => `*.${k}`),
  ...SENSITIVE.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req(request: { id?: string; method?: string; routeOptions?: { url?: string } }) {
        return { id: request.id, method: request.method, route: request.routeOptions?.url ?? '(no route)' };
      },
      res(reply: { statusCode?: number }) {
        return { statusCode: reply.statusCode };
      },
      // Any error logged as `err` (by Fastify or by us): class, code and frames, never the message (SQL, parameters).
      // (Fastify types this slot as pino's std serializer shape; any object is logged as given.)
      err: describeError as never,
    },
  };
}
