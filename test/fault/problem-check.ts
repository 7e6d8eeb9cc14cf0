/** What every answer of the service must be, whatever it was sent. */
import type { LightMyRequestResponse } from 'fastify';
import { PROBLEMS, PROBLEM_TYPE_PREFIX } from '../../src/errors/catalogue.js';

/** Frames of a stack trace, file paths, or driver messages that must never reach a client. */
const LEAKS = /\bat [\w.<>]+ \(|\.(ts|js|mjs):\d+|node_modules|\/src\/|ECONNREFUSED|ECONNRESET|relation "|syntax error at|duplicate key value|violates (unique|foreign key|check) constraint|TypeError|ReferenceError|Cannot read properties/;

/**
 * Returns why the answer breaks the contract, or undefined when it keeps it:
 * no 5xx (unless `allow5xx` names it), every non-2xx a problem+json whose
 * `code` is in the catalogue with its own status, and no internals leaked.
 */
export function contractBreach(res: LightMyRequestResponse, opts: { allow5xx?: readonly number[] } = {}): string | undefined {
  const { statusCode: status } = res;
  if (status >= 500 && !opts.allow5xx?.includes(status)) return `status ${status}: ${res.body.slice(0, 300)}`;
  if (status < 400) return undefined;
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) return `status ${status} with content-type ${type}`;
  let body: { code?: unknown; type?: unknown; status?: unknown; title?: unknown };
  try {
    body = JSON.parse(res.body);
  } catch {
    return `status ${status}: body is not JSON`;
  }
  // `errors` paths may echo a property name the client sent; everything else is ours.
  const { errors: _echo, ...own } = body as Record<string, unknown>;
  if (LEAKS.test(JSON.stringify(own))) return `leaks internals: ${res.body.slice(0, 300)}`;
  const code = body.code;
  if (typeof code !== 'string' || !(code in PROBLEMS)) return `undocumented code ${String(code)}`;
  if (PROBLEMS[code as keyof typeof PROBLEMS] !== status) return `code ${code} answered with status ${status}`;
  if (body.status !== status || body.type !== PROBLEM_TYPE_PREFIX + code || typeof body.title !== 'string') return `incomplete problem: ${res.body.slice(0, 200)}`;
  return undefined;
}

/** Runs count from FUZZ_RUNS (default 10,000 — the issue's floor in CI; more on demand). */
export function fuzzRuns(): number {
  const n = Number(process.env.FUZZ_RUNS ?? 10_000);
  return Number.isSafeInteger(n) && n > 0 ? n : 10_000;
}

/**
 * A fresh client address per request: the rate limiter keys on it, so a
 * fuzz run of thousands of requests measures the routes, not the limiter.
 */
export function addressOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}
