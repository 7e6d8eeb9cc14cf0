import { beforeAll, describe, expect, it } from 'vitest';
import {
  CredentialError,
  MIN_STATUS_LIST_SLOTS,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  decodeStatusList,
  encodeStatusList,
  getStatus,
  packStatuses,
  setStatus,
  signStatusList,
  statusListSize,
  verifyStatusList,
} from '../../../src/credential/index.js';
import { type World, makeWorld } from './fixtures.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

const URL_ = 'https://cards.strasbourg.eu/v1/status-list';
const iat = Math.floor(Date.parse('2026-06-15T12:00:00Z') / 1000);

async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'none';
  } catch (e) {
    return e instanceof CredentialError ? e.code : `other: ${String(e)}`;
  }
}

describe('status list encoding (draft-ietf-oauth-status-list)', () => {
  it('packs least-significant bits first, as the draft’s examples', () => {
    // Draft §4.1 examples: 1 bit → B9 A3; 2 bits → C9 44 F9.
    const one = packStatuses(Uint8Array.from([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]), 1, 0);
    expect([...one.list]).toEqual([0xb9, 0xa3]);
    const two = packStatuses(Uint8Array.from([1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]), 2, 0);
    expect([...two.list]).toEqual([0xc9, 0x44, 0xf9]);
  });

  it('decodes the draft’s published lst values', () => {
    expect([...decodeStatusList({ bits: 1, lst: 'eNrbuRgAAhcBXQ' }).list]).toEqual([0xb9, 0xa3]);
    expect([...decodeStatusList({ bits: 2, lst: 'eNo76fITAAPfAgc' }).list]).toEqual([0xc9, 0x44, 0xf9]);
  });

  it('round-trips 131,072 slots with random indices', () => {
    const statuses = new Uint8Array(MIN_STATUS_LIST_SLOTS);
    const picked = new Map<number, number>();
    for (let k = 0; k < 2000; k++) {
      const i = Math.floor(Math.random() * statuses.length);
      const v = 1 + Math.floor(Math.random() * 3);
      statuses[i] = v;
      picked.set(i, v);
    }
    const claim = encodeStatusList(statuses);
    expect(claim.bits).toBe(2);
    expect(claim.lst).toMatch(/^[A-Za-z0-9_-]+$/);
    const list = decodeStatusList(claim);
    expect(statusListSize(list)).toBe(MIN_STATUS_LIST_SLOTS);
    for (let i = 0; i < statuses.length; i++) expect(getStatus(list, i)).toBe(statuses[i]);
    for (const [i, v] of picked) expect(getStatus(list, i)).toBe(v);
    expect(getStatus(list, MIN_STATUS_LIST_SLOTS)).toBeUndefined();
    expect(getStatus(list, -1)).toBeUndefined();
  });

  it('pads to the minimum size, and setStatus edits in place', () => {
    const list = decodeStatusList(encodeStatusList(new Uint8Array(10)));
    expect(statusListSize(list)).toBe(MIN_STATUS_LIST_SLOTS);
    setStatus(list, 99_999, STATUS_SUSPENDED);
    setStatus(list, 100_000, STATUS_INVALID);
    expect([getStatus(list, 99_998), getStatus(list, 99_999), getStatus(list, 100_000), getStatus(list, 100_001)]).toEqual([0, 2, 1, 0]);
    setStatus(list, 99_999, 0);
    expect(getStatus(list, 99_999)).toBe(0);
    expect(() => packStatuses(Uint8Array.of(4), 2)).toThrow();
  });

  it('refuses a zlib bomb and garbage', () => {
    expect(() => decodeStatusList(encodeStatusList(new Uint8Array(40_000_000), 1, 0), 1024 * 1024)).toThrow(CredentialError);
    expect(() => decodeStatusList({ bits: 2, lst: 'not base64!' })).toThrow(CredentialError);
    expect(() => decodeStatusList({ bits: 3 as 2, lst: 'eNo76fITAAPfAgc' })).toThrow(CredentialError);
    expect(() => decodeStatusList({ bits: 2, lst: 'AAAA' })).toThrow(CredentialError);
  });
});

describe('status list token', () => {
  it('signs and verifies: typ statuslist+jwt, claims sub iat exp ttl status_list', async () => {
    const statuses = new Uint8Array(MIN_STATUS_LIST_SLOTS);
    statuses[42] = STATUS_INVALID;
    const jwt = await signStatusList(encodeStatusList(statuses), { id: 'fr-strasbourg', statusListUrl: URL_ }, w.strasbourg, iat, 3600);
    const [h, p] = jwt.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'EdDSA', kid: w.strasbourg.kid, typ: 'statuslist+jwt' });
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'iss', 'status_list', 'sub', 'ttl']);
    const v = await verifyStatusList(jwt, w.issuer('fr-strasbourg'), { now: new Date((iat + 60) * 1000) });
    expect(v).toMatchObject({ sub: URL_, iat, ttl: 3600, exp: iat + 7 * 86_400, bits: 2 });
    expect(getStatus(v, 42)).toBe(STATUS_INVALID);
    expect(getStatus(v, 43)).toBe(0);
  });

  it('refuses forgeries, other issuers, revoked keys, wrong typ, expired tokens', async () => {
    const claim = encodeStatusList(new Uint8Array(0));
    const ok = await signStatusList(claim, { id: 'fr-strasbourg', statusListUrl: URL_ }, w.strasbourg, iat, 3600);
    const strasbourg = w.issuer('fr-strasbourg');
    const [h, p, s] = ok.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), ttl: 1 })).toString('base64url');
    expect(await errorCode(verifyStatusList(`${h}.${otherPayload}.${s}`, strasbourg))).toBe('invalid_signature');
    expect(await errorCode(verifyStatusList(ok, w.issuer('fr-lyon')))).toBe('malformed'); // iss names another issuer
    const byLyon = await signStatusList(claim, { id: 'fr-strasbourg', statusListUrl: URL_ }, w.lyon, iat, 3600);
    expect(await errorCode(verifyStatusList(byLyon, strasbourg))).toBe('invalid_signature');
    const byRevoked = await signStatusList(claim, { id: 'fr-strasbourg', statusListUrl: URL_ }, w.strasbourgRevoked, iat, 3600);
    expect(await errorCode(verifyStatusList(byRevoked, strasbourg))).toBe('key_revoked');
    expect(await errorCode(verifyStatusList(ok, strasbourg, { now: new Date((iat + 8 * 86_400) * 1000) }))).toBe('expired');
    const noTyp = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: w.strasbourg.kid })).toString('base64url');
    expect(await errorCode(verifyStatusList(`${noTyp}.${p}.${s}`, strasbourg))).toBe('malformed');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'statuslist+jwt' })).toString('base64url');
    expect(await errorCode(verifyStatusList(`${none}.${p}.`, strasbourg))).toBe('unsupported_algorithm');
  });
});
