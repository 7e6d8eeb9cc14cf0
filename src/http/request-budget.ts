/**
 * How much a request may make the service work before anyone knows who sent
 * it (issue 13, finding 1: a 5.6 MB login body of 480,000 unknown fields
 * made a 35 MB answer and stalled the service for seconds).
 *
 * - A public route (no principal: sign-in, portal claim) reads at most
 *   PUBLIC_BODY_LIMIT bytes unless it declares its own `bodyLimit`: a login
 *   is a few hundred bytes. Authenticated routes are refused at `onRequest`,
 *   before their body is read, so only a known caller reaches their limits
 *   (BODY_LIMIT, or a route's own: photos, partner metadata, trust lists).
 * - A JSON body with more than MAX_BODY_FIELDS members and items in all is
 *   refused before schema validation: AJV reports every failing field
 *   (clerks' forms show them all at once), so without a bound on fields its
 *   error list would grow with the body. The walk stops at the bound.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';

/** Bytes a public route's body may have (the largest, a portal claim, is under 300). */
export const PUBLIC_BODY_LIMIT = 4 * 1024;
/** Object members plus array items in one body; the largest real body (an enrolment) has under 100. */
export const MAX_BODY_FIELDS = 1000;

/** Whether `value` holds more than `max` members and items, counted until the bound is passed. */
export function exceedsFields(value: unknown, max: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    // JSON.parse makes plain objects and arrays only: own enumerable members, no prototype surprises.
    for (const k in v as Record<string, unknown>) {
      if (++count > max) return true;
      const c = (v as Record<string, unknown>)[k];
      if (c !== null && typeof c === 'object') stack.push(c);
    }
  }
  return false;
}

export default fp(
  async function requestBudget(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      if (route.config?.access === 'public' && route.bodyLimit === undefined) route.bodyLimit = PUBLIC_BODY_LIMIT;
    });
    app.addHook('preValidation', async (request) => {
      if (request.body !== null && typeof request.body === 'object' && !Buffer.isBuffer(request.body) && exceedsFields(request.body, MAX_BODY_FIELDS)) {
        throw new AppError('validation-failed', { detail: `The body has more than ${MAX_BODY_FIELDS} fields.`, errors: [{ path: '/body', message: `must have at most ${MAX_BODY_FIELDS} fields` }] });
      }
    });
  },
  { name: 'request-budget' },
);
