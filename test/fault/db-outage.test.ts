/**
 * Database outage (issue 10): the app's pool reaches PostgreSQL through a
 * TCP proxy (node:net) that the test cuts — open connections destroyed, new
 * ones refused — and later restores. While it is cut: /readyz answers 503,
 * writes answer 503 problem+json `service-unavailable` and leave nothing
 * half-written, POST /v1/verify for an issuer already in the trust store
 * keeps answering. When it is back, everything recovers by itself, with no
 * restart. The pool is the production one (openDatabase), not the tests'.
 *
 * PostgreSQL only: PGlite is in-process, there is no connection to cut.
 */
import { auditLinks } from '../helpers/audit-targets.js';
import net from 'node:net';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { PRINCIPAL_CACHE_MS } from '../../src/modules/staff/staff-service.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { enrol, givePhoto, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';
import { contractBreach } from './problem-check.js';

/** A TCP proxy that can be cut (sockets destroyed, port closed) and restored on the same port. */
class CuttableProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** When set, a connection whose client sends a message matching it is dropped right there. */
  killOn: RegExp | undefined;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('data', (chunk: Buffer) => {
        if (this.killOn?.test(chunk.toString('latin1'))) {
          client.destroy();
          upstream.destroy();
        }
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** The database "goes away": every open connection drops and new ones are refused. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  get open(): number {
    return this.sockets.size;
  }
}

const problemCode = (res: LightMyRequestResponse) => (res.headers['content-type']?.toString().startsWith('application/problem+json') ? res.json().code : undefined);

describe.runIf(process.env.LCC_TEST_DB === 'postgres')('database outage between the app and PostgreSQL', () => {
  let direct: TestDatabase;
  let proxied: Database;
  let proxy: CuttableProxy;
  let t: TestContext;
  let qr: string;
  let number: string;
  let serviceKey: string;

  const rows = async <T>(q: ReturnType<typeof sql>) => ((await direct.db.execute(q)) as unknown as { rows: T[] }).rows;
  const counts = async () => (await rows<{ residents: number; cards: number; audit: number; status: string }>(sql`
    select (select count(*)::int from residents) as residents, (select count(*)::int from cards) as cards,
           (select count(*)::int from audit_log) as audit, (select version::text from status_list_state limit 1) as status`))[0]!;

  beforeAll(async () => {
    direct = await createTestDatabase();
    const url = new URL(direct.url!);
    proxy = new CuttableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    proxied = await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory://' });
    t = await createTestApp({ database: { ...proxied, destroy: () => proxied.close() } });
    const card = await issue(t, await enrol(t));
    qr = card.qr;
    number = card.number;
    const key = await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'Clinic', profile: 'name_and_photo' } });
    serviceKey = key.json().secret;
    // The trust store now holds this city's keys and status list; both callers have been seen.
    for (const authorization of [t.auth('official').authorization, `Bearer ${serviceKey}`]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: { authorization }, payload: { qr } });
      expect(res.json().result).toBe('valid');
    }
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await proxied?.close().catch(() => {});
    await proxy?.cut().catch(() => {});
    await direct?.destroy();
  });

  it('while cut: readyz 503, writes 503 service-unavailable with nothing written, cached verification still answers; then recovers alone', async () => {
    const before = await counts();
    await proxy.cut();

    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(503);

    const writes = [
      () => t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: REFERENCE_RESIDENT }),
      () => t.app.inject({ method: 'POST', url: `/v1/cards/${number}/suspend`, headers: t.auth('clerk'), payload: {} }),
      () => t.app.inject({ method: 'POST', url: `/v1/cards/${number}/replace`, headers: t.auth('clerk'), payload: { reason: 'lost' } }),
    ];
    for (const write of writes) {
      const started = Date.now();
      const res = await write();
      expect(res.statusCode, res.body).toBe(503);
      expect(problemCode(res)).toBe('service-unavailable');
      expect(contractBreach(res, { allow5xx: [503] })).toBeUndefined();
      // Refused promptly (the pool's connection timeout bounds it), not hanging.
      expect(Date.now() - started).toBeLessThan(10_000);
    }

    // Verification needs no database: the trust store's last good copy answers, for officials and
    // service keys alike — also once the outage outlasts the principal cache and the store's refresh.
    await new Promise((r) => setTimeout(r, PRINCIPAL_CACHE_MS + 500));
    for (const authorization of [t.auth('official').authorization, `Bearer ${serviceKey}`]) {
      const verified = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: { authorization }, payload: { qr } });
      expect(verified.statusCode, verified.body).toBe(200);
      expect(verified.json().result).toBe('valid');
    }
    // A caller never seen before cannot be checked: refused as unavailable, not let in.
    const stranger = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('partner_service'), payload: { qr } });
    expect(stranger.statusCode).toBe(503);

    // Nothing half-written while it was cut (read straight from the server, not through the proxy).
    expect(await counts()).toEqual(before);

    await proxy.start();
    const deadline = Date.now() + 15_000;
    let readyAgain = await t.app.inject('/readyz');
    while (readyAgain.statusCode !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      readyAgain = await t.app.inject('/readyz');
    }
    expect(readyAgain.statusCode).toBe(200);

    const enrolled = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: REFERENCE_RESIDENT });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const suspended = await t.app.inject({ method: 'POST', url: `/v1/cards/${number}/suspend`, headers: t.auth('clerk'), payload: {} });
    expect(suspended.statusCode, suspended.body).toBe(200);
    const after = await counts();
    expect({ residents: after.residents, cards: after.cards, audit: after.audit }).toEqual({ residents: before.residents + 1, cards: before.cards, audit: before.audit + 2 });
    expect((await t.app.services.audit.verifyChain()).ok).toBe(true);
  }, 90_000);

  it('cut in the middle of writes: each answer is 2xx or 503, a 2xx was kept, no half-written change', async () => {
    const outcomes: number[] = [];
    // More rounds than the pool has connections: a connection leaked per cut would starve it.
    for (let round = 0; round < 12; round++) {
      const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Outage ${round}` } });
      await givePhoto(t, id);
      const inFlight = Promise.all([
        t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...REFERENCE_RESIDENT, names: { printed: `Cut ${round}` } } }),
        t.app.inject({ method: 'POST', url: `/v1/residents/${id}/cards`, headers: t.auth('clerk') }),
      ]);
      await new Promise((r) => setTimeout(r, round % 6 * 3));
      await proxy.cut();
      const answers = await inFlight;
      for (const res of answers) {
        outcomes.push(res.statusCode);
        expect([200, 201, 503], res.body).toContain(res.statusCode);
        expect(contractBreach(res, { allow5xx: [503] })).toBeUndefined();
      }
      const [resident, card] = answers;
      if (resident!.statusCode === 201) expect((await rows(sql`select 1 from residents where id = ${resident!.json().resident.id}`)).length).toBe(1);
      if (card!.statusCode === 201) expect((await rows(sql`select 1 from cards where resident_id = ${id} and state = 'active'`)).length).toBe(1);
      await proxy.start();
    }
    // Whatever committed, committed whole: each card and resident has its audit entry, each entry its row.
    // (Audit entries name them by pseudonyms: test/helpers/audit-targets.ts.)
    const links = await auditLinks(direct, t.app.services.cipher);
    expect(links.cardsWithoutIssue).toEqual([]);
    expect(links.residentsWithoutCreate).toEqual([]);
    expect(links.createWithoutResident).toEqual([]);
    expect((await t.app.services.audit.verifyChain()).ok).toBe(true);
    // No connection left checked out by a failed transaction (each would be a pool slot lost for good).
    const pool = proxied.pool!;
    await new Promise((r) => setTimeout(r, 200));
    expect({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }).toEqual({ total: pool.idleCount, idle: pool.idleCount, waiting: 0 });
    // And the app is itself again.
    const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: REFERENCE_RESIDENT });
    expect(res.statusCode).toBe(201);
    expect(outcomes).toContain(503);
  }, 120_000);

  it('a connection lost at BEGIN is released, not leaked: more failures than pool slots, then it works', async () => {
    proxy.killOn = /\bbegin\b/i;
    try {
      for (let i = 0; i < 14; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...REFERENCE_RESIDENT, names: { printed: `Begin ${i}` } } });
        expect(res.statusCode, res.body).toBe(503);
        expect(problemCode(res)).toBe('service-unavailable');
      }
    } finally {
      proxy.killOn = undefined;
    }
    const pool = proxied.pool!;
    expect(pool.totalCount - pool.idleCount).toBe(0);
    const started = Date.now();
    const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: REFERENCE_RESIDENT });
    expect(res.statusCode, res.body).toBe(201);
    // Served at once, not after waiting out the pool's connection timeout.
    expect(Date.now() - started).toBeLessThan(4_000);
  }, 60_000);
});
