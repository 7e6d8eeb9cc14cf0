/**
 * Denial of service by validation errors (issue 13, finding 1): a body built
 * to fail every rule — hundreds of thousands of unknown fields — once made
 * a 35 MB answer listing each one and stalled the service for seconds. Now
 * every such body gets a small answer quickly: 413 above a route's limit
 * (4 KiB for public routes, BODY_LIMIT for the rest), and under it a 400
 * that lists at most MAX_FIELD_ERRORS fields, each cut short.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { MAX_FIELD_ERRORS } from '../../src/errors/error-handler.js';
import { MAX_BODY_FIELDS, PUBLIC_BODY_LIMIT } from '../../src/http/request-budget.js';
import { addressOf, contractBreach } from './problem-check.js';

/** `{"f0":0,"f1":0,…}` of about `bytes` bytes: every member unknown to every schema. */
function unknownFields(bytes: number, prefix = 'f'): string {
  const parts: string[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const p = `"${prefix}${i}":0`;
    parts.push(p);
    size += p.length + 1;
  }
  return `{${parts.join(',')}}`;
}

/** The body: 5.6 MB, 480,000 unknown fields. */
const HUGE = unknownFields(5.6 * 1024 * 1024);
/** As many unknown fields as a public route's limit lets through. */
const AT_PUBLIC_LIMIT = unknownFields(PUBLIC_BODY_LIMIT - 64);
/** An answer never needs more than this, whatever was sent. */
const MAX_ANSWER_BYTES = 8 * 1024;

let t: TestContext;
let serviceKey: string;

beforeAll(async () => {
  t = await createTestApp();
  serviceKey = (await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'desk', profile: 'name_and_photo' } })).json().secret;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const json = { 'content-type': 'application/json' };

describe('a body of unknown fields gets a small answer, quickly', () => {
  it.each([
    { route: 'POST /v1/auth/login', headers: () => json },
    { route: 'POST /v1/self/claim', headers: () => json },
    { route: 'POST /v1/self/login', headers: () => json },
    { route: 'POST /v1/verify', headers: () => ({ ...json, authorization: `Bearer ${serviceKey}` }) },
    { route: 'POST /v1/residents', headers: () => ({ ...json, ...t.auth('clerk') }) },
  ])('$route: 5.6 MB of 480,000 unknown fields → 413 payload-too-large, small', async ({ route, headers }) => {
    const [method, url] = route.split(' ') as ['POST', string];
    const started = performance.now();
    const res = await t.app.inject({ method, url, headers: headers(), payload: HUGE, remoteAddress: '192.0.2.50' });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload-too-large');
    expect(res.body.length).toBeLessThan(MAX_ANSWER_BYTES);
    expect(contractBreach(res)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it.each(['/v1/auth/login', '/v1/self/claim', '/v1/self/login'])('%s: a body at the public limit, all unknown fields → 400 naming at most MAX_FIELD_ERRORS fields, small', async (url) => {
    const res = await t.app.inject({ method: 'POST', url, headers: json, payload: AT_PUBLIC_LIMIT, remoteAddress: '192.0.2.51' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation-failed');
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.errors.length).toBeLessThanOrEqual(MAX_FIELD_ERRORS);
    expect(res.body.length).toBeLessThan(MAX_ANSWER_BYTES);
    expect(contractBreach(res)).toBeUndefined();
  });

  it('a public route reads at most 4 KiB: just over it is 413', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', headers: json, payload: unknownFields(PUBLIC_BODY_LIMIT + 512), remoteAddress: '192.0.2.52' });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload-too-large');
  });

  it('an authenticated route: a body under BODY_LIMIT with more fields than any form → 400 before validation, one error', async () => {
    const payload = unknownFields(60 * 1024);
    for (const [url, headers] of [
      ['/v1/verify', { ...json, authorization: `Bearer ${serviceKey}` }],
      ['/v1/residents', { ...json, ...t.auth('clerk') }],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url, headers, payload });
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation-failed', errors: [{ path: '/body', message: `must have at most ${MAX_BODY_FIELDS} fields` }] });
      expect(res.body.length).toBeLessThan(MAX_ANSWER_BYTES);
    }
  });

  it('unknown fields nested inside a declared object, or as array items, count too', async () => {
    const names = JSON.parse(unknownFields(30 * 1024, 'n')) as Record<string, number>;
    const nested = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { names: { printed: 'A', ...names }, preferredLanguage: 'fr' } });
    expect(nested.statusCode).toBe(400);
    expect(nested.body.length).toBeLessThan(MAX_ANSWER_BYTES);
    const items = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { names: { printed: 'A' }, preferredLanguage: 'fr', evidence: Array.from({ length: 5000 }, () => 1) } });
    expect(items.statusCode).toBe(400);
    expect(items.body.length).toBeLessThan(MAX_ANSWER_BYTES);
  });

  it('a long field name is cut short in the answer', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', headers: json, payload: `{"${'x'.repeat(3000)}":1}`, remoteAddress: '192.0.2.53' });
    expect(res.statusCode).toBe(400);
    for (const e of res.json().errors as Array<{ path: string; message: string }>) {
      expect(e.path.length).toBeLessThanOrEqual(200);
      expect(e.message.length).toBeLessThanOrEqual(200);
    }
  });
});

describe('the issue attack: 20 of the 5.6 MB bodies at once over real sockets', () => {
  it('each answers 413 small, all within a few seconds, and a sign-in still answers meanwhile', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const send = (body: string, chunked: boolean) =>
      new Promise<{ status: number; bytes: number }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v1/auth/login', headers: { ...json, ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': Buffer.byteLength(body) }) } }, (res) => {
          let bytes = 0;
          res.on('data', (c: Buffer) => (bytes += c.length));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
        });
        // The server may answer and close before the whole body is sent: that is the point.
        req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve({ status: 413, bytes: 0 }) : reject(e)));
        if (chunked) for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
        else req.write(body);
        req.end();
      });
    const started = performance.now();
    // Half announce their size, half stream it chunked (no Content-Length to refuse up front).
    const attacks = Array.from({ length: 20 }, (_, i) => send(HUGE, i % 2 === 1));
    const probe = t.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: addressOf(7), payload: { username: 'clerk', password: 'wrong password here' } });
    const answers = await Promise.all(attacks);
    expect((await probe).statusCode).toBe(401);
    for (const a of answers) {
      expect(a.status).toBe(413);
      expect(a.bytes).toBeLessThan(MAX_ANSWER_BYTES);
    }
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
