/**
 * The verifier page's trust rules, in Node (src/web/verify/trust.ts and
 * check.ts are pure): root pinning, the bundle's signature, no rollback,
 * status lists checked per issuer, and the fail-closed outcomes.
 */
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeStatusList, generateCardNumber, generateSigningKey, issueCardQrText, signStatusList, type SigningKey } from '../../../src/credential/index.js';
import { check } from '../../../src/web/verify/check.js';
import { BUNDLE_TYP, ISSUER_TYP, TrustError, freshness, openBundle, pinRoot, type PinnedRoot } from '../../../src/web/verify/trust.js';

const T0 = new Date('2026-03-02T10:00:00Z');
const H = 3_600_000;
let root: SigningKey;
let signing: SigningKey;
let pinned: PinnedRoot;
let qr: string;

const sign = (payload: unknown, key: SigningKey, typ: string) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ }).sign(key.privateKey);

async function bundle(at: Date, opts: { statusList?: boolean; signer?: SigningKey; iss?: string } = {}) {
  const list = await signStatusList(encodeStatusList(new Uint8Array(10)), { id: 'fr-testville', statusListUrl: 'https://x/v1/status-list' }, signing, Math.floor(at.getTime() / 1000), 3600);
  return sign(
    {
      iss: opts.iss ?? 'fr-testville',
      country: 'FR',
      issuedAt: at.toISOString(),
      nextUpdate: new Date(at.getTime() + 6 * H).toISOString(),
      graceUntil: new Date(at.getTime() + 48 * H).toISOString(),
      issuers: [{ id: 'fr-testville', uri: 'https://id.testville.eu', name: 'Testville', country: 'FR', keys: [{ kid: signing.kid, jwk: signing.publicJwk, alg: 'EdDSA', status: 'active' }], ...(opts.statusList === false ? {} : { statusList: list }) }],
    },
    opts.signer ?? root,
    BUNDLE_TYP,
  );
}

beforeAll(async () => {
  root = await generateSigningKey();
  signing = await generateSigningKey();
  pinned = await pinRoot(await sign({ iss: 'fr-testville', name: 'Testville', root: root.publicJwk }, root, ISSUER_TYP));
  qr = await issueCardQrText(
    { issuer: 'https://id.testville.eu', number: generateCardNumber((n) => crypto.getRandomValues(new Uint8Array(n))), name: 'Amina Haddad', birthDate: '1990-04', country: 'FR', issuedOn: '2026-03-01', expiresOn: '2031-02-28', statusIndex: 3, statusUri: 'https://id.testville.eu/v1/status-list' },
    signing,
  );
});

describe('root pinning', () => {
  it('pins the key that signed its own metadata, with its thumbprint', () => {
    expect(pinned).toMatchObject({ iss: 'fr-testville', name: 'Testville', thumbprint: root.kid });
  });

  it('refuses metadata whose signature is not by the root it names', async () => {
    const other = await generateSigningKey();
    await expect(pinRoot(await sign({ iss: 'fr-testville', name: 'T', root: root.publicJwk }, other, ISSUER_TYP))).rejects.toMatchObject({ code: 'bad_signature' });
  });
});

describe('openBundle', () => {
  it('verifies the bundle and each status list', async () => {
    const loaded = await openBundle(await bundle(T0), pinned, T0);
    expect(loaded.info.country).toBe('FR');
    expect(loaded.unchecked.size).toBe(0);
    expect(loaded.trust.issuers.get('fr-testville')!.source.statusList).toBeDefined();
  });

  it.each([
    ['signed by another key', async () => bundle(T0, { signer: signing }), 'bad_signature'],
    ['naming another city', async () => bundle(T0, { iss: 'fr-elsewhere' }), 'wrong_issuer'],
    ['not a JWS', async () => 'nope', 'malformed'],
  ])('refuses a bundle %s', async (_, make, code) => {
    const err = await openBundle(await make(), pinned, T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrustError);
    expect((err as TrustError).code).toBe(code);
  });

  it('refuses a bundle older than the one held (no replay of an old list)', async () => {
    await expect(openBundle(await bundle(T0), pinned, T0, new Date(T0.getTime() + H))).rejects.toMatchObject({ code: 'rollback' });
  });

  it('marks an issuer without a status list as unchecked', async () => {
    const loaded = await openBundle(await bundle(T0, { statusList: false }), pinned, T0);
    expect([...loaded.unchecked]).toEqual(['fr-testville']);
  });
});

describe('freshness and the outcome shown', () => {
  it.each([
    [-10 * 60_000, 'clock_wrong'],
    [-60_000, 'fresh'],
    [5 * H, 'fresh'],
    [7 * H, 'stale'],
    [49 * H, 'out_of_date'],
  ])('%i ms after issuedAt → %s', async (offset, expected) => {
    const loaded = await openBundle(await bundle(T0), pinned, T0);
    expect(freshness(loaded.info, new Date(T0.getTime() + offset))).toBe(expected);
  });

  it('fails closed: no list, out of date, wrong clock, unchecked revocation', async () => {
    const loaded = await openBundle(await bundle(T0), pinned, T0);
    expect((await check(qr, loaded, T0)).outcome).toBe('valid');
    expect((await check(qr, undefined, T0)).outcome).toBe('no_list');
    expect((await check(qr, loaded, new Date(T0.getTime() + 49 * H))).outcome).toBe('out_of_date');
    expect((await check(qr, loaded, new Date(T0.getTime() - H))).outcome).toBe('clock_wrong');
    const bare = await openBundle(await bundle(T0, { statusList: false }), pinned, T0);
    expect((await check(qr, bare, T0)).outcome).toBe('unchecked');
  });
});
