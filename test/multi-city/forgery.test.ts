/**
 * Forged or broken partner documents are refused with stable codes, and bad
 * input is a 400 problem+json: registration never half-trusts anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';
import { certificate, metadata, syntheticIssuer, type Key } from './forge.js';
import { createNetwork, metadataOf, newKey, register, signJson, syncPartner, verifyIn, type City } from './network.js';

const net = createNetwork();
let a: City;
let b: City;
let real: { jws: string; payload: Record<string, unknown>; fingerprint: string };
let evil: Key;
let evil2: Key;

beforeAll(async () => {
  [a, b] = await Promise.all([net.city('fr-aville', 'Aville', 'FR'), net.city('fr-bville', 'Bville', 'FR')]);
  real = await metadataOf(a);
  [evil, evil2] = await Promise.all([newKey(), newKey()]);
});
afterAll(() => net.close());

const tamper = (jws: string, patch: Record<string, unknown>) => {
  const [h, p, s] = jws.split('.');
  const payload = { ...JSON.parse(Buffer.from(p!, 'base64url').toString()), ...patch };
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
};

describe('forged partner metadata', () => {
  const cases: Array<[string, () => Promise<{ metadata: string; fingerprint: string }>, number, string]> = [
    ['the right metadata with a wrong fingerprint', async () => ({ metadata: real.jws, fingerprint: evil.kid }), 422, 'partner-fingerprint-mismatch'],
    ['re-signed by another key that it names as root', async () => ({ metadata: await signJson({ ...real.payload, root: evil.jwk }, evil, 'lcc-issuer+jwt'), fingerprint: real.fingerprint }), 422, 'partner-fingerprint-mismatch'],
    ['re-signed by another key, naming the real root', async () => ({ metadata: await signJson(real.payload, { ...evil, kid: real.fingerprint }, 'lcc-issuer+jwt'), fingerprint: real.fingerprint }), 422, 'partner-signature-invalid'],
    ['a field changed after signing', async () => ({ metadata: tamper(real.jws, { country: 'DE' }), fingerprint: real.fingerprint }), 422, 'partner-signature-invalid'],
    [
      'a signing key certified by another root',
      async () => {
        const key = await newKey();
        return { metadata: await metadata({ root: evil, iss: 'fr-evil', keys: [{ key, cert: await certificate({ by: evil2, iss: 'fr-evil', key }) }] }), fingerprint: evil.kid };
      },
      422,
      'partner-certificate-invalid',
    ],
    [
      'a certificate naming another issuer (iss mismatch)',
      async () => {
        const key = await newKey();
        return { metadata: await metadata({ root: evil, iss: 'fr-evil', keys: [{ key, cert: await certificate({ by: evil, iss: 'fr-aville', key }) }] }), fingerprint: evil.kid };
      },
      422,
      'partner-issuer-mismatch',
    ],
    [
      'a certificate for another key',
      async () => {
        const [key, other] = [await newKey(), await newKey()];
        return { metadata: await metadata({ root: evil, iss: 'fr-evil', keys: [{ key, cert: await certificate({ by: evil, iss: 'fr-evil', key: other, sub: key.kid }) }] }), fingerprint: evil.kid };
      },
      422,
      'partner-certificate-invalid',
    ],
    [
      'an expired certificate',
      async () => {
        const key = await newKey();
        const cert = await certificate({ by: evil, iss: 'fr-evil', key, nbf: 1_600_000_000, exp: 1_600_086_400 });
        return { metadata: await metadata({ root: evil, iss: 'fr-evil', keys: [{ key, cert }] }), fingerprint: evil.kid };
      },
      422,
      'partner-certificate-invalid',
    ],
    ['expired metadata', async () => ({ metadata: await metadata({ root: evil, iss: 'fr-evil', keys: [], iat: 1_600_000_000, exp: 1_600_086_400 }), fingerprint: evil.kid }), 422, 'partner-metadata-expired'],
    ['another typ (a key certificate presented as metadata)', async () => ({ metadata: await metadata({ root: evil, iss: 'fr-evil', keys: [], typ: 'lcc-key-cert+jwt' }), fingerprint: evil.kid }), 400, 'partner-metadata-malformed'],
    ['an HMAC-signed document', async () => ({ metadata: `${Buffer.from('{"alg":"HS256","typ":"lcc-issuer+jwt"}').toString('base64url')}.${real.jws.split('.')[1]}.AAAA`, fingerprint: real.fingerprint }), 400, 'partner-metadata-malformed'],
    ['a JWS-shaped string that is not one', async () => ({ metadata: 'abc.def.ghi', fingerprint: real.fingerprint }), 400, 'partner-metadata-malformed'],
  ];

  it.each(cases)('refuses %s', async (_name, build, status, code) => {
    const res = await register(b, await build());
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe(code);
    expect((await b.t.app.inject({ url: '/v1/federation/partners', headers: b.t.auth('admin') })).json().items).toEqual([]);
  });

  it('refuses forged metadata served at the partner’s URL', async () => {
    net.override(a.metadataUrl, await signJson(real.payload, { ...evil, kid: real.fingerprint }, 'lcc-issuer+jwt'));
    try {
      const res = await register(b, { url: a.metadataUrl, fingerprint: real.fingerprint });
      expect(res.json().code).toBe('partner-signature-invalid');
    } finally {
      net.override(a.metadataUrl, undefined);
    }
  });

  it.each([
    ['unreachable', () => net.down('fr-aville.example')],
    ['a 404', () => net.override(`${a.url}/nowhere`, undefined)],
    ['an oversized answer', () => net.override(a.metadataUrl, 'x'.repeat(300 * 1024))],
  ])('a fetch that fails (%s) is a 502 partner-fetch-failed', async (name, arrange) => {
    arrange();
    try {
      const res = await register(b, { url: name === 'a 404' ? `${a.url}/nowhere` : a.metadataUrl, fingerprint: real.fingerprint });
      expect(res.statusCode).toBe(502);
      expect(res.json().code).toBe('partner-fetch-failed');
    } finally {
      net.up('fr-aville.example');
      net.override(a.metadataUrl, undefined);
    }
  });
});

describe('after registration, a forged or replayed update changes nothing', () => {
  it('a forged metadata at sync keeps the last good keys and records the code', async () => {
    const card = await issue(a.t, await enrol(a.t, { ...REFERENCE_RESIDENT, names: { printed: 'Kept Holder' } }));
    expect((await register(b, { url: a.metadataUrl, fingerprint: real.fingerprint })).statusCode).toBe(201);
    // An attacker on the path swaps A's keys for its own, signed with its own key.
    const key = await newKey();
    net.override(a.metadataUrl, await metadata({ root: evil, iss: 'fr-aville', keys: [{ key, cert: await certificate({ by: evil, iss: 'fr-aville', key }) }] }));
    try {
      const res = await syncPartner(b, 'fr-aville');
      expect(res.json().lastError).toBe('partner-fingerprint-mismatch');
      expect(res.json().keys.map((k: { kid: string }) => k.kid)).not.toContain(key.kid);
      expect((await verifyIn(b, card.qr)).result).toBe('valid');
    } finally {
      net.override(a.metadataUrl, undefined);
    }
  });

  it('an older metadata than the one held is refused (rollback), a newer one is taken', async () => {
    const s = await syntheticIssuer('fr-synth');
    const now = Math.floor(Date.now() / 1000);
    expect((await register(b, { metadata: await metadata({ root: s.root, iss: 'fr-synth', keys: [{ key: s.signing, cert: s.cert }], iat: now }), fingerprint: s.root.kid })).statusCode).toBe(201);
    const older = await metadata({ root: s.root, iss: 'fr-synth', keys: [{ key: s.signing, cert: s.cert }], iat: now - 3600 });
    const res = await register(b, { metadata: older, fingerprint: s.root.kid });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('partner-metadata-stale');
  });

  it('a partner registered with one root cannot be re-registered with another', async () => {
    const s = await syntheticIssuer('fr-synth');
    const res = await register(b, { metadata: s.jws, fingerprint: s.root.kid });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('partner-root-conflict');
  });
});

describe('bad input is a 400 problem+json', () => {
  const fp = 'A'.repeat(43);
  const table: Array<[string, unknown, number, string]> = [
    ['an empty body', {}, 400, 'validation-failed'],
    ['a fingerprint alone', { fingerprint: fp }, 400, 'validation-failed'],
    ['an unknown field', { metadata: 'a.b.c', fingerprint: fp, trustMe: true }, 400, 'validation-failed'],
    ['a short fingerprint', { metadata: 'a.b.c', fingerprint: 'abc' }, 400, 'validation-failed'],
    ['metadata that is not a compact JWS', { metadata: 'hello world', fingerprint: fp }, 400, 'validation-failed'],
    ['metadata over 256 KiB', { metadata: `a.${'b'.repeat(256 * 1024)}.c`, fingerprint: fp }, 400, 'validation-failed'],
    ['a body over the route limit', { metadata: `a.${'b'.repeat(600 * 1024)}.c`, fingerprint: fp }, 413, 'payload-too-large'],
    ['a non-https URL', { url: 'http://fr-aville.example/.well-known/lcc-issuer', fingerprint: fp }, 400, 'validation-failed'],
    ['a URL that is not one', { url: 'not a url', fingerprint: fp }, 400, 'validation-failed'],
    ['a number for metadata', { metadata: 42, fingerprint: fp }, 400, 'validation-failed'],
  ];
  it.each(table)('partners: %s', async (_n, payload, status, code) => {
    const res = await register(b, payload as Record<string, unknown>);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe(code);
  });

  it.each([
    ['an empty body', {}],
    ['not a JWS', { trustList: 'nope' }],
    ['an unknown field', { trustList: 'a.b.c', extra: 1 }],
  ])('trust list: %s', async (_n, payload) => {
    const res = await b.t.app.inject({ method: 'POST', url: '/v1/federation/trust-list', headers: b.t.auth('admin'), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation-failed');
  });

  it('a malformed JSON body and a bad partner id', async () => {
    const res = await b.t.app.inject({ method: 'POST', url: '/v1/federation/partners', headers: { ...b.t.auth('admin'), 'content-type': 'application/json' }, payload: '{"metadata":' });
    expect(res.json().code).toBe('malformed-json');
    const bad = await b.t.app.inject({ url: '/v1/federation/partners/NOT_AN_ID', headers: b.t.auth('admin') });
    expect(bad.statusCode).toBe(400);
    expect((await b.t.app.inject({ url: '/v1/federation/partners/fr-none', headers: b.t.auth('admin') })).json().code).toBe('partner-not-found');
  });
});
