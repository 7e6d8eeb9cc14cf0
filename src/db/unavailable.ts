/** Telling "the database is away" from a bug: the first answers 503 and may fall back to a last good copy. */

/** pg's connection-level failures: server down, connection cut or refused, pool timed out, server shutting down. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|is not queryable|Client was closed/i;

/**
 * Connection-level failures from pg (server down, connection cut): answer
 * 503, not 500. Drizzle wraps the driver's error (`DrizzleQueryError`,
 * "Failed query: …") and keeps it as `cause`, so the whole cause chain is read.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (UNAVAILABLE_CODES.has(String((e as { code?: unknown }).code)) || UNAVAILABLE_MESSAGES.test(String((e as Error).message))) return true;
  }
  return false;
}
