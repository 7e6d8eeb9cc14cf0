import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { minimal, samplePhoto } from './residents-fixtures.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
  // A second clerk.
  const res = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'clerk2', password: 'correct horse battery staple', role: 'clerk' } });
  expect(res.statusCode).toBe(201);
});
afterAll(() => t.close());

async function clerk2() {
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'clerk2', password: 'correct horse battery staple' } });
  return { authorization: `Bearer ${res.json().accessToken}` };
}

describe('two clerks edit one record', () => {
  it('with the same ETag: one 200, one 412, and the winner is what is stored', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: minimal() });
    const id = created.json().resident.id;
    const etag = created.headers.etag as string;
    const other = await clerk2();
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': etag }, payload: { names: { printed: 'Kwame Asante' } } }),
      t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...other, 'if-match': etag }, payload: { names: { printed: 'Kwame Mensah' } } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const winner = a.statusCode === 200 ? a : b;
    const loser = a.statusCode === 200 ? b : a;
    expect(loser.json().code).toBe('precondition-failed');
    const now = await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') });
    expect(now.json().names.printed).toBe(winner.json().names.printed);
    expect(now.headers.etag).toBe('"2"');
    // The loser reloads and retries with the new ETag.
    const retry = await t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...other, 'if-match': now.headers.etag as string }, payload: { languages: ['tw'] } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().version).toBe(3);
  });

  it('ten simultaneous edits with one ETag: exactly one wins', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: minimal() });
    const id = created.json().resident.id;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': '"1"' }, payload: { languages: [`x${'abcdefghij'[i]}`.slice(0, 2) === 'xa' ? 'fr' : 'en'] } }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 412)).toHaveLength(9);
  });

  it('an edit racing an erasure: the edit finds no record or the erasure finds a newer one', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: minimal() });
    const id = created.json().resident.id;
    const [patch, del] = await Promise.all([
      t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': '"1"' }, payload: { languages: ['fr'] } }),
      t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: { ...(await clerk2()), 'if-match': '"1"' } }),
    ]);
    expect([`${patch.statusCode}/${del.statusCode}`]).toEqual([expect.stringMatching(/^(404\/204|200\/412)$/)]);
  });

  it('a photo upload with a stale If-Match is refused', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: minimal() });
    const id = created.json().resident.id;
    await t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': '"1"' }, payload: { languages: ['fr'] } });
    const res = await t.app.inject({ method: 'PUT', url: `/v1/residents/${id}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/jpeg', 'if-match': '"1"' }, payload: await samplePhoto() });
    expect(res.statusCode).toBe(412);
  });
});
