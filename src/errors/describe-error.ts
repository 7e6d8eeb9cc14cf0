/**
 * What a log line may say about an unexpected error: its class, its code and
 * where in the code it happened — never its message. Driver messages carry
 * the SQL and its parameters (drizzle's "Failed query: … params: …", pg's
 * `detail` "Key (username)=(…) already exists"), and a programming error's
 * message can quote any value it choked on; a log is read by more people, and
 * kept longer, than the database it describes.
 *
 * Kept: the class name, a code that looks like a code (SQLSTATE `23505`,
 * errno `ECONNRESET`, `FST_…`), the schema names pg reports (table, column,
 * constraint: identifiers, not data), and the stack frames without the
 * message line — for each error of the `cause` chain.
 */

export interface ErrorDescription {
  class: string;
  code?: string;
  severity?: string;
  table?: string;
  column?: string;
  constraint?: string;
  /** Stack frames ("at fn (file:line:col)"), the message line removed. */
  frames?: string[];
  cause?: ErrorDescription;
}

/** A code is short and made of code characters; anything else (a value, a sentence) is dropped. */
const CODE = /^[A-Za-z0-9_.-]{1,40}$/;
/** pg's schema identifiers: names, never values. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const MAX_FRAMES = 12;
const MAX_DEPTH = 4;

function framesOf(e: Error): string[] | undefined {
  if (typeof e.stack !== 'string') return undefined;
  // V8's stack starts with "<name>: <message>", and the message may span lines: cut it off by length,
  // then keep only the trailing run of "at …" lines (a stack whose header was rewritten keeps its frames too).
  const header = `${e.name}: ${e.message}`;
  const lines = (e.stack.startsWith(header) ? e.stack.slice(header.length) : e.stack).split('\n');
  let first = lines.length;
  while (first > 0 && /^\s+at /.test(lines[first - 1]!)) first--;
  const frames = lines.slice(first, first + MAX_FRAMES).map((l) => l.trim().slice(0, 300));
  return frames.length ? frames : undefined;
}

function pick(out: ErrorDescription, key: 'code' | 'severity' | 'table' | 'column' | 'constraint', value: unknown, pattern: RegExp) {
  if (typeof value === 'string' && pattern.test(value)) out[key] = value;
  else if (key === 'code' && typeof value === 'number' && Number.isInteger(value)) out.code = String(value);
}

/**
 * @example log.error({ error: describeError(err), route }, 'unhandled error')
 */
export function describeError(err: unknown, depth = 0): ErrorDescription {
  if (!(err instanceof Error)) return { class: err === null ? 'null' : typeof err };
  const e = err as Error & Record<string, unknown>;
  const out: ErrorDescription = { class: (e.constructor?.name && e.constructor.name !== 'Object' ? e.constructor.name : e.name || 'Error').slice(0, 60) };
  pick(out, 'code', e.code, CODE);
  pick(out, 'severity', e.severity, /^[A-Z]{1,10}$/);
  pick(out, 'table', e.table, IDENTIFIER);
  pick(out, 'column', e.column, IDENTIFIER);
  pick(out, 'constraint', e.constraint, IDENTIFIER);
  const frames = framesOf(e);
  if (frames) out.frames = frames;
  if (e.cause !== undefined && depth < MAX_DEPTH) out.cause = describeError(e.cause, depth + 1);
  return out;
}
