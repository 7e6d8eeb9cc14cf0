/**
 * What a 5xx leaves in the log (issue 13, finding 10): the error's class,
 * its code and the route — never the driver's message, which holds the SQL
 * and its parameters (a username and its password hash, a resident's name).
 * Forced with real database errors on both engines.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { REFERENCE_RESIDENT } from '../helpers/cards.js';
import { captureLines } from '../helpers/dump.js';
import { loggerOptions } from '../../src/logger.js';

/** Anything of a statement or of the values it carried. */
const SQL_OR_VALUES = /insert into|select |update "|Failed query|params:|Failing row|\$scrypt\$|Key \(/i;

let t: TestContext;
let lines: string[];

beforeAll(async () => {
  const captured = captureLines();
  lines = captured.lines;
  t = await createTestApp({ logger: { ...(loggerOptions('info') as object), stream: captured.stream } });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

function errorLines(from: number): Array<Record<string, unknown>> {
  return lines.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 50);
}

describe('a 5xx log line names the error, never the statement or its values', () => {
  it('a staff insert the database refuses (username, password hash in the statement) → 500; the log has class, SQLSTATE and route only', async () => {
    await t.database.db.execute(sql.raw(`alter table staff add constraint no_victim check (username <> 'victim-username')`));
    const from = lines.length;
    const res = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'victim-username', password: TEST_PASSWORD, role: 'clerk' } });
    expect(res.statusCode).toBe(500);
    const logged = lines.slice(from).join('\n');
    expect(logged).not.toContain('victim-username');
    expect(logged).not.toContain(TEST_PASSWORD);
    expect(logged).not.toMatch(SQL_OR_VALUES);
    const [line] = errorLines(from);
    expect(line).toMatchObject({ msg: 'unhandled error', method: 'POST', route: '/v1/staff' });
    // The cause chain keeps what an operator needs: which class, which SQLSTATE (23514 check_violation), which constraint.
    expect(JSON.stringify(line!.error)).toMatch(/"code":"23514"/);
    expect(JSON.stringify(line!.error)).toContain('"constraint":"no_victim"');
  });

  it('a resident enrolment on a broken table → 500; no name, no statement in the log', async () => {
    await t.database.db.execute(sql`alter table residents rename to residents_gone`);
    try {
      const from = lines.length;
      const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: REFERENCE_RESIDENT });
      expect(res.statusCode).toBe(500);
      const logged = lines.slice(from).join('\n');
      expect(logged).not.toMatch(SQL_OR_VALUES);
      expect(logged).not.toContain(REFERENCE_RESIDENT.names.printed);
      const [line] = errorLines(from);
      expect(line).toMatchObject({ msg: 'unhandled error', route: '/v1/residents' });
      expect(JSON.stringify(line!.error)).toMatch(/"code":"42P01"/);
    } finally {
      await t.database.db.execute(sql`alter table residents_gone rename to residents`);
    }
  });

  it('a sign-in whose account read fails (the username in the statement) → 500 with nothing of the account in the log', async () => {
    await t.database.db.execute(sql`alter table staff rename column password_hash to password_hash_gone`);
    try {
      const from = lines.length;
      const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'victim-signin', password: TEST_PASSWORD }, remoteAddress: '192.0.2.90' });
      expect(res.statusCode).toBe(500);
      const logged = lines.slice(from).join('\n');
      expect(logged).not.toMatch(SQL_OR_VALUES);
      expect(logged).not.toContain('victim-signin');
      expect(logged).not.toContain(TEST_PASSWORD);
      expect(errorLines(from)[0]).toMatchObject({ msg: 'unhandled error', route: '/v1/auth/login' });
      expect(JSON.stringify(errorLines(from)[0]!.error)).toMatch(/"code":"42703"/);
    } finally {
      await t.database.db.execute(sql`alter table staff rename column password_hash_gone to password_hash`);
    }
  });
});
