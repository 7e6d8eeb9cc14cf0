/**
 * What someone who seized the database would read: every row of every table
 * of every non-system schema, as text, with binary columns in every common
 * encoding; and every form a secret could take in a careless column.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { normaliseForIndex } from '../../src/security/blind-index.js';
import type { Database } from '../../src/db/client.js';

export async function tablesOf(database: Database): Promise<string[]> {
  const rows = ((await database.db.execute(
    sql.raw(`select table_schema as s, table_name as n from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg_%'`),
  )) as unknown as { rows: Array<{ s: string; n: string }> }).rows;
  return rows.map((r) => `${r.s}.${r.n}`);
}

export async function dumpDatabase(database: Database): Promise<string> {
  const parts: string[] = [];
  for (const name of await tablesOf(database)) {
    const [s, n] = name.split('.') as [string, string];
    const rows = ((await database.db.execute(sql.raw(`select * from "${s}"."${n}"`))) as unknown as { rows: Array<Record<string, unknown>> }).rows;
    for (const row of rows) {
      for (const value of Object.values(row)) {
        if (value instanceof Uint8Array) {
          const b = Buffer.from(value);
          parts.push(b.toString('hex'), b.toString('utf8'), b.toString('latin1'), b.toString('utf16le'), b.toString('base64'));
        } else if (value !== null && typeof value === 'object') {
          parts.push(JSON.stringify(value));
        } else {
          parts.push(String(value));
        }
      }
    }
  }
  return parts.join('\n');
}

/** Every form a secret could take in a column. */
export function forms(s: string): string[] {
  const variants = new Set([s, s.normalize('NFD'), s.toLowerCase(), s.toUpperCase(), normaliseForIndex(s)]);
  const out = new Set<string>();
  for (const v of variants) {
    out.add(v);
    out.add(Buffer.from(v, 'utf8').toString('hex'));
    out.add(Buffer.from(v, 'utf16le').toString('hex'));
    out.add(Buffer.from(v, 'utf8').toString('base64').replace(/=+$/, ''));
    out.add(JSON.stringify(v).slice(1, -1));
  }
  return [...out].filter((f) => f.length >= 4);
}

/** Log lines captured from a pino stream. */
export function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}
