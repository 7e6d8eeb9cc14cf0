/**
 * The status list as the IETF Token Status List draft and RFC 9110 want it,
 * read by an independent reader (node:zlib and bit arithmetic, not the
 * product's decoder): card → its `status.status_list.uri` → the list whose
 * `sub` is that URI → bit `idx`; `iat` the time of the last change, strictly
 * increasing; `ttl`; weak ETags; gzip when asked.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, transition } from '../helpers/cards.js';
import { readClaim169 } from '../helpers/independent-claim169.js';

let t: TestContext;
let now = new Date('2026-03-02T09:00:00Z');
let seq = 0;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(() => t?.close());

const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
/** Entry `idx` of a 2-bit list, read by hand from the `lst` claim (draft §4.1: LSB first). */
const statusAt = (lst: string, idx: number) => (inflateSync(Buffer.from(lst, 'base64url'))[(idx * 2) >> 3]! >> ((idx * 2) & 7)) & 3;
const fetchList = (headers: Record<string, string> = {}) => t.app.inject({ url: '/v1/status-list', headers });
const newCard = async () => issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Status Holder ${++seq}` } }));

describe('GET /v1/status-list', () => {
  it('the card’s uri is the list’s sub, and its idx is the card’s bit (0, then 2 suspended, then 1 revoked)', async () => {
    const card = await newCard();
    const status = readClaim169(card.qr).claims.get(65535) as Map<string, Map<string, unknown>>;
    const idx = status.get('status_list')!.get('idx') as number;
    const uri = status.get('status_list')!.get('uri') as string;
    expect(uri).toBe(`${t.config.publicUrl}/v1/status-list`);
    expect(new URL(uri).pathname).toBe('/v1/status-list');
    const read = async () => payloadOf((await fetchList()).body);
    const first = await read();
    expect(first.sub).toBe(uri);
    expect(first.ttl).toBeGreaterThan(0);
    expect(first.exp).toBeGreaterThan(first.iat);
    expect(statusAt(first.status_list.lst, idx)).toBe(0);
    await transition(t, card.number, 'suspend');
    expect(statusAt((await read()).status_list.lst, idx)).toBe(2);
    await transition(t, card.number, 'revoke', 'stolen');
    expect(statusAt((await read()).status_list.lst, idx)).toBe(1);
  });

  it('iat is the time of the last change, and grows strictly even for two changes in one second', async () => {
    now = new Date('2026-03-02T10:00:00.250Z');
    const a = await newCard();
    const b = await newCard();
    await transition(t, a.number, 'suspend');
    const one = payloadOf((await fetchList()).body).iat;
    expect(one).toBeGreaterThanOrEqual(Date.parse('2026-03-02T10:00:00Z') / 1000);
    await transition(t, b.number, 'suspend'); // the same instant on the clock
    const two = payloadOf((await fetchList()).body).iat;
    expect(two).toBeGreaterThan(one);
    // Nothing changes for an hour: iat stays the last change's time.
    now = new Date('2026-03-02T11:30:00Z');
    expect(payloadOf((await fetchList()).body).iat).toBe(two);
  });

  it('ETags are weak and compared weakly (RFC 9110 §13.1.2): W/"x", "x", lists and * all revalidate', async () => {
    const res = await fetchList();
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^W\/"[^"]+"$/);
    const strong = etag.slice(2);
    for (const inm of [etag, strong, `"other", ${strong}`, `W/"other",${etag}`, '*']) {
      const again = await fetchList({ 'if-none-match': inm });
      expect(again.statusCode, inm).toBe(304);
      expect(again.body).toBe('');
    }
    expect((await fetchList({ 'if-none-match': 'W/"other"' })).statusCode).toBe(200);
  });

  it('gzip when asked (and Vary says so), the same token either way', async () => {
    const plain = await fetchList();
    const gz = await fetchList({ 'accept-encoding': 'br;q=1, gzip;q=0.5' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect((await fetchList({ 'accept-encoding': 'gzip;q=0, identity' })).headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-encoding']).toBeUndefined();
  });
});
