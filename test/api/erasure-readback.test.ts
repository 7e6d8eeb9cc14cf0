/**
 * Erasure leaves no one behind (issue 13, finding 3). A resident erases
 * themselves in the portal, a clerk erases another; then everything is read
 * back as a clerk, the resident, a verifier and someone holding MASTER_KEY
 * with the database would: the card answers 410 card-erased on every route,
 * the old QR verifies as revoked, no audit entry holds or leads to their id,
 * and no binary value of any row of any table — nor any ciphertext the
 * database held before the erasure — opens with any key derivable from
 * MASTER_KEY. A resident who was not erased stays readable (the control
 * that proves the attempt can open what it should).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_ACTIONS } from '../../src/modules/cards/card-states.js';
import { deriveKey } from '../../src/security/derive.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { everyBlob, keysFrom, rowsOf, tryOpen, type Found } from '../helpers/attacker.js';
import { enrol, issue, type Issued } from '../helpers/cards.js';
import { noisePhoto } from './residents-fixtures.js';

const person = (printed: string, line1: string) => ({
  names: { printed, legal: `${printed} Legal-Name`, original: 'زفيرين' },
  birthDate: '1984-02-29',
  gender: { selfDescribed: `genderfluid-${printed.split(' ')[0]!.toLowerCase()}`, marker: 'X', printMarker: true },
  address: { line1, locality: 'Testville' },
  addressConfidential: true,
  preferredLanguage: 'fr',
  languages: ['fr'],
  evidence: [{ type: 'consular-id' }, { type: 'utility-bill' }],
});

const SELF = person('Ysolde Vantablack', '9 Impasse Confidentielle');
const CLERK = person('Oberon Quillfeather', '31 Allée Secrète');
const KEPT = person('Keeper Stays', '5 Rue Ouverte');

let t: TestContext;
let ip = 0;
const from = () => `10.77.${Math.floor(++ip / 250)}.${ip % 250}`;
const photo = async (id: string) =>
  t.app.inject({ method: 'PUT', url: `/v1/residents/${id}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/jpeg' }, payload: await noisePhoto(300, 375) });

interface Holder {
  id: string;
  card: Issued;
  pseudonym: string;
}
let self: Holder & { token: string };
let clerk: Holder;
let kept: Holder;
let before: Found[];

async function holder(body: object): Promise<Holder> {
  const id = await enrol(t, body as Record<string, unknown>);
  expect((await photo(id)).statusCode).toBe(200);
  const card = await issue(t, id);
  return { id, card, pseudonym: (await t.app.services.residents.auditPseudonym(id))! };
}

beforeAll(async () => {
  t = await createTestApp();
  const s = await holder(SELF);
  const claimed = await t.app.inject({ method: 'POST', url: '/v1/self/claim', payload: { number: s.card.number, claimCode: s.card.claimCode, pin: '482915' }, remoteAddress: from() });
  expect(claimed.statusCode, claimed.body).toBe(200);
  self = { ...s, token: claimed.json().accessToken };
  // The resident acts in the portal: these entries name their account, and must not outlive them either.
  expect((await t.app.inject({ url: '/v1/self/data', headers: { authorization: `Bearer ${self.token}` } })).statusCode).toBe(200);
  clerk = await holder(CLERK);
  kept = await holder(KEPT);
  // A resident edited: a row version with the old address exists (dead, until vacuumed).
  const etag = (await t.app.inject({ url: `/v1/residents/${clerk.id}`, headers: t.auth('clerk') })).headers.etag as string;
  expect((await t.app.inject({ method: 'PATCH', url: `/v1/residents/${clerk.id}`, headers: { ...t.auth('clerk'), 'if-match': etag, 'content-type': 'application/merge-patch+json' }, payload: { address: { line1: '32 Allée Secrète', locality: 'Testville' } } })).statusCode).toBe(200);

  before = await everyBlob(t.database);

  const bySelf = await t.app.inject({ method: 'DELETE', url: '/v1/self', headers: { authorization: `Bearer ${self.token}` }, payload: { confirm: true } });
  expect(bySelf.statusCode, bySelf.body).toBe(204);
  const byClerk = await t.app.inject({ method: 'DELETE', url: `/v1/residents/${clerk.id}`, headers: t.auth('clerk') });
  expect(byClerk.statusCode, byClerk.body).toBe(204);
});
afterAll(() => t.close());

const erased = () => [self, clerk];
const secretsOf = (p: ReturnType<typeof person>) => [p.names.printed, p.names.legal, p.address.line1, p.gender.selfDescribed, 'consular-id'];

describe('an erased holder, read back through every route', () => {
  it('the card answers 410 card-erased to a clerk: read, PDF, every lifecycle action', async () => {
    for (const h of erased()) {
      const answers = [
        await t.app.inject({ url: `/v1/cards/${h.card.number}`, headers: t.auth('clerk') }),
        await t.app.inject({ url: `/v1/cards/${h.card.number}/pdf`, headers: t.auth('clerk') }),
        ...(await Promise.all(CARD_ACTIONS.map((a) => t.app.inject({ method: 'POST', url: `/v1/cards/${h.card.number}/${a}`, headers: t.auth('clerk'), payload: a === 'revoke' || a === 'replace' ? { reason: 'lost' } : {} })))),
      ];
      for (const res of answers) {
        expect(res.statusCode, res.body).toBe(410);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json()).toMatchObject({ code: 'card-erased', type: 'urn:lcc:problem:card-erased', status: 410 });
        for (const s of [h.card.qr, ...secretsOf(h === self ? SELF : CLERK)]) expect(res.body).not.toContain(s);
      }
    }
  });

  it('the portal answers 410 to the card (claim, sign-in); the old session no longer works', async () => {
    for (const h of erased()) {
      const claim = await t.app.inject({ method: 'POST', url: '/v1/self/claim', payload: { number: h.card.number, claimCode: h.card.claimCode, pin: '482915' }, remoteAddress: from() });
      expect(claim.statusCode, claim.body).toBe(410);
      expect(claim.json().code).toBe('card-erased');
      const login = await t.app.inject({ method: 'POST', url: '/v1/self/login', payload: { number: h.card.number, pin: '482915' }, remoteAddress: from() });
      expect(login.statusCode, login.body).toBe(410);
      expect(login.json().code).toBe('card-erased');
    }
    for (const url of ['/v1/self/data', '/v1/self/photo', '/v1/self/card.pdf']) {
      expect((await t.app.inject({ url, headers: { authorization: `Bearer ${self.token}` } })).statusCode).toBe(401);
    }
  });

  it('the record is gone for a clerk: read, photo, cards, search by name and by card number', async () => {
    for (const h of erased()) {
      expect((await t.app.inject({ url: `/v1/residents/${h.id}`, headers: t.auth('clerk') })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/v1/residents/${h.id}/photo`, headers: t.auth('clerk') })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/v1/residents/${h.id}/cards`, headers: t.auth('clerk') })).json().items).toEqual([]);
      expect((await t.app.inject({ url: `/v1/residents?card=${h.card.number}`, headers: t.auth('clerk') })).json().items).toEqual([]);
    }
    expect((await t.app.inject({ url: '/v1/residents?q=Ysolde', headers: t.auth('clerk') })).json().items).toEqual([]);
    expect((await t.app.inject({ url: '/v1/residents?q=Oberon', headers: t.auth('clerk') })).json().items).toEqual([]);
  });

  it('the old QR still verifies — as revoked, with no name or photo', async () => {
    for (const h of erased()) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('official'), payload: { qr: h.card.qr } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().result).toBe('revoked');
      expect(res.json().photo).toBeUndefined();
    }
    const ok = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('official'), payload: { qr: kept.card.qr } });
    expect(ok.json().result).toBe('valid');
  });

  it('the card row keeps only its revoked slot and the number index', async () => {
    const rows = (await rowsOf(t.database, 'public.cards')).filter((r) => r.resident_id === null);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatchObject({ state: 'revoked', credential: null, claim_code_hash: null, claim_code_expires_at: null });
  });
});

describe('the audit, after erasure', () => {
  it('holds no erased id, in no column; the pseudonyms can no longer be computed; the chain verifies', async () => {
    const audit = await rowsOf(t.database, 'public.audit_log');
    const text = JSON.stringify(audit);
    for (const h of erased()) {
      expect(text).not.toContain(h.id);
      expect(await t.app.services.residents.auditPseudonym(h.id)).toBeUndefined();
      // What happened is still told, under a name nobody can tie to the person any more.
      expect(audit.filter((r) => r.target_id === h.pseudonym).map((r) => r.action)).toEqual(expect.arrayContaining(['resident.create', 'resident.erase']));
    }
    // The portal account's actions, and the card's, are pseudonymised too.
    expect(audit.filter((r) => r.actor_type === 'resident').every((r) => !(r.target_id as string)?.includes(self.id))).toBe(true);
    expect(audit.filter((r) => (r.action as string).startsWith('card.') && r.target_type === 'card').length).toBeGreaterThan(0);
    expect(text).not.toContain(self.card.number);
    const verify = await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('admin') });
    expect(verify.json()).toMatchObject({ ok: true });
  });
});

describe('someone with MASTER_KEY and the database', () => {
  it('opens none of the erased people: neither today’s rows nor any ciphertext the database held before', async () => {
    const keys = await keysFrom(t.config.masterKey, t.database);
    const now = await everyBlob(t.database);
    const opened = (found: Found[]) => found.map((f) => ({ f, plain: tryOpen(f.blob, f.aads, keys) })).filter((x) => x.plain !== undefined);

    // Control: the resident who stays opens, so the attempt is real.
    const todayText = opened(now).map((x) => x.plain!.toString('utf8')).join('\n');
    expect(todayText).toContain(KEPT.names.legal);
    expect(todayText).toContain(KEPT.address.line1);

    const beforeOpened = opened(before);
    const beforeText = beforeOpened.map((x) => x.plain!.toString('utf8')).join('\n');
    expect(beforeText).toContain(KEPT.address.line1);
    for (const s of [...secretsOf(SELF), ...secretsOf(CLERK)].filter((s) => s !== 'consular-id')) {
      expect(todayText, s).not.toContain(s);
      expect(beforeText, s).not.toContain(s);
    }
    // Of the ciphertexts sealed for the erased (their record, photo, card credentials), not one opens.
    // (Their key rows themselves are not among them: those are what erasure destroys — see the
    // pageinspect suite for the disk, and the next test for a copy taken before the erasure.)
    const theirs = before.filter((f) => f.where !== 'resident_keys.key' && (f.aads.some((a) => erased().some((h) => a.includes(h.id))) || f.where === 'cards.credential'));
    expect(theirs.length).toBeGreaterThanOrEqual(2 * 6);
    const theirsOpened = theirs.filter((f) => tryOpen(f.blob, f.aads, keys) !== undefined);
    expect(theirsOpened.map((f) => f.where).sort()).toEqual(['cards.credential']); // the kept resident's card
    for (const qr of erased().map((h) => h.card.qr)) expect(beforeText).not.toContain(qr);
  });

  it('a copy taken before the erasure (a backup) still opens with the key rows it holds — until that copy is gone', async () => {
    const oldKeys = before.filter((f) => f.where === 'resident_keys.key').map((f) => tryOpen(f.blob, f.aads, [wrapKey(t.config.masterKey)])!);
    const keys = await keysFrom(t.config.masterKey, t.database, oldKeys);
    const text = before.map((f) => tryOpen(f.blob, f.aads, keys)?.toString('utf8') ?? '').join('\n');
    expect(text).toContain(SELF.address.line1);
  });
});

/** The field-encryption key a key row is wrapped with. */
function wrapKey(master: Buffer): Buffer {
  return deriveKey(master, 'field-encryption');
}
