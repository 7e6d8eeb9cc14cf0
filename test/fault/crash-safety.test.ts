/**
 * Crash safety (issue 10): a child process issuing cards through the service
 * layer (fixtures/issuer-child.ts) is killed with SIGKILL at random points,
 * again and again, and restarted on the same database — the file's
 * PostgreSQL database, or a PGlite data directory (the embedded default).
 * After each kill the database must hold: every card and resident the child
 * reported as committed; no duplicated card number or status-list slot; no
 * card without its `card.issue` audit entry (nor resident without
 * `resident.create`); at most one live card per resident; a verifying audit
 * chain. At the end a card from before the crashes still verifies.
 */
import { auditLinks } from '../helpers/audit-targets.js';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createServices } from '../../src/services.js';
import { createTestApp, TEST_PASSWORD, testConfig, type TestContext } from '../helpers/app.js';
import { TEST_DB } from '../helpers/db.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 6);
const CHILD = join(import.meta.dirname, 'fixtures', 'issuer-child.ts');

interface ChildRun {
  cards: string[];
  residents: string[];
  numbers: string[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts the child, lets it commit `commits` steps (then a few more milliseconds), and SIGKILLs it. */
function runAndKill(env: Record<string, string>, commits: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: ChildRun = { cards: [], residents: [], numbers: [], signal: null, stderr: '' };
    let buffered = '';
    let seen = 0;
    let killing = false;
    const giveUp = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        let event: { card?: string; number?: string; resident?: string };
        try {
          event = JSON.parse(line);
        } catch {
          run.stderr += `stdout: ${line}\n`;
          continue;
        }
        if (event.card) {
          run.cards.push(event.card);
          run.numbers.push(event.number!);
          seen++;
        } else if (event.resident) run.residents.push(event.resident);
      }
      if (!killing && seen >= commits) {
        killing = true;
        // Anywhere in the next step: between statements, mid-transaction, mid-commit.
        setTimeout(() => child.kill('SIGKILL'), randomInt(0, 40));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      run.stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(giveUp);
      run.signal = signal;
      resolve(run);
    });
  });
}

async function rows<T>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Every invariant the issue names, on the database as the crash left it. */
async function checkInvariants(database: Database, services: ReturnType<typeof createServices>, committed: { cards: Set<string>; residents: Set<string> }) {
  const cardIds = new Set((await rows<{ id: string }>(database, sql`select id::text as id from cards`)).map((r) => r.id));
  const residentIds = new Set((await rows<{ id: string }>(database, sql`select id::text as id from residents`)).map((r) => r.id));
  expect([...committed.cards].filter((id) => !cardIds.has(id)), 'committed cards lost').toEqual([]);
  expect([...committed.residents].filter((id) => !residentIds.has(id)), 'committed residents lost').toEqual([]);
  expect(await rows(database, sql`select number_index from cards group by number_index having count(*) > 1`), 'duplicated card numbers').toEqual([]);
  expect(await rows(database, sql`select status_index from cards group by status_index having count(*) > 1`), 'duplicated status slots').toEqual([]);
  // Audit entries name cards and records by pseudonyms (test/helpers/audit-targets.ts).
  const links = await auditLinks(database, services.cipher);
  expect(links.cardsWithoutIssue, 'cards without their card.issue audit entry').toEqual([]);
  expect(links.residentsWithoutCreate, 'residents without their resident.create audit entry').toEqual([]);
  expect(links.issueWithoutCard, 'card.issue entries for cards that do not exist').toEqual([]);
  expect(
    await rows(database, sql`select resident_id from cards where state in ('active', 'suspended') group by resident_id having count(*) > 1`),
    'residents with two live cards',
  ).toEqual([]);
  const chain = await services.audit.verifyChain();
  expect(chain, 'audit chain').toMatchObject({ ok: true });
  return { cards: cardIds.size, audit: chain.lastSeq };
}

describe(`SIGKILL while issuing cards (${TEST_DB})`, () => {
  let t: TestContext | undefined;
  let dir: string | undefined;
  let childEnv: Record<string, string>;
  let masterKey: Buffer;
  /** PostgreSQL: the file's database, shared with the child. PGlite: opened only while the child is dead (one process per directory). */
  let open: () => Promise<{ database: Database; services: ReturnType<typeof createServices>; done(): Promise<void> }>;

  beforeAll(async () => {
    if (TEST_DB === 'postgres') {
      t = await createTestApp();
      masterKey = t.config.masterKey;
      childEnv = { CHILD_DATABASE_URL: t.database.url!, CHILD_MASTER_KEY: masterKey.toString('base64url'), CHILD_ACTOR_ID: t.ids.clerk };
      open = async () => ({ database: t!.database, services: t!.app.services, done: async () => {} });
      return;
    }
    dir = mkdtempSync(join(tmpdir(), 'lcc-crash-'));
    const dataDir = join(dir, 'data');
    const config = testConfig({ DATA_DIR: dataDir });
    masterKey = config.masterKey;
    childEnv = { CHILD_DATA_DIR: dataDir, CHILD_MASTER_KEY: masterKey.toString('base64url') };
    open = async () => {
      const database = await openDatabase({ databaseUrl: undefined, dataDir });
      const services = createServices({ config, database });
      return { database, services, done: () => database.close() };
    };
    const first = await open();
    await migrate(first.database);
    await first.services.city.bootstrap({ id: config.cityId, name: config.cityName, country: config.country, adminPassword: TEST_PASSWORD, staff: first.services.staff });
    await first.done();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${KILLS} kills at random points lose nothing committed and break no invariant`, async (ctx) => {
    const committed = { cards: new Set<string>(), residents: new Set<string>() };
    const numbers: string[] = [];
    let last = { cards: 0, audit: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      const run = await runAndKill(childEnv, randomInt(1, 12));
      expect(run.signal, `kill ${kill + 1}: child died on its own: ${run.stderr}`).toBe('SIGKILL');
      run.cards.forEach((id) => committed.cards.add(id));
      run.residents.forEach((id) => committed.residents.add(id));
      numbers.push(...run.numbers);
      // Restart: the database opens (PGlite replays its WAL) and holds everything committed.
      const { database, services, done } = await open();
      try {
        const now = await checkInvariants(database, services, committed);
        expect(now.cards).toBeGreaterThan(last.cards);
        expect(now.audit).toBeGreaterThan(last.audit);
        last = now;
      } finally {
        await done();
      }
    }
    await ctx.annotate(`${KILLS} SIGKILLs; ${committed.cards.size} cards and ${committed.residents.size} residents reported committed; ${last.cards} cards and ${last.audit} audit entries in the database`);
    // A card issued before the first crash still reads and verifies after all of them.
    const { services, done } = await open();
    try {
      const card = await services.cards.get(numbers[0]!);
      const answer = await services.verification.verify(card.qr, 'full');
      expect(['valid', 'suspended', 'revoked']).toContain(answer.result);
      if (card.status === 'active') expect(answer.result).toBe('valid');
    } finally {
      await done();
    }
  }, 240_000);
});
