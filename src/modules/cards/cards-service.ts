/**
 * Issuing cards and moving them through their life (card-states.ts). Every
 * change happens in one transaction with its audit entry and the status
 * list's version bump; knows nothing of HTTP.
 */
import { randomBytes, sign as nodeSign } from 'node:crypto';
import {
  fromPayload,
  fromQrText,
  generateCardNumber,
  formatCardNumber,
  issueCardQrText,
  normalizeCardNumber,
  isValidCardNumber,
  type CardClaims,
  type Signer,
} from '../../credential/index.js';
import { parseCompactJws } from '../../credential/jws.js';
import type { Db, Executor } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { BlindIndex } from '../../security/blind-index.js';
import type { FieldCipher } from '../../security/field-cipher.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import type { CityService } from '../city/city-service.js';
import type { CardSubject, CardSubjectSource } from './card-subject.js';
import { cardExpiry, inRenewalWindow, isoDay, type CardRules } from './card-rules.js';
import { nextState, type CardAction, type CardState } from './card-states.js';
import type { CardRow, CardsRepository } from './cards-repository.js';

/** Crockford base32 without I, L, O, U: what a resident can read off a slip and type. */
const CLAIM_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CLAIM_CODE_LENGTH = 10;
const CLAIM_CODE_DAYS = 90;
const DAY = 86_400_000;

export interface CardView {
  id: string;
  number: string;
  status: CardState;
  reason: string | null;
  residentId: string | null;
  issuedAt: string;
  expiresAt: string;
  /** Expiry has passed: the card reports `expired` wherever it is checked. */
  expired: boolean;
  kid: string;
  previousNumber?: string;
}

export interface IssuedCard extends CardView {
  qr: string;
  /** One-time code for the resident portal, printed on the enrolment receipt; shown once. */
  claimCode: string;
}

interface IssuerContext {
  signer: { kid: string; privateKey: import('node:crypto').KeyObject; notAfter: Date };
  issuer: string;
}

/** Serves small random draws from a larger buffer refilled from `source`. */
function bufferedRandom(source: (n: number) => Uint8Array, chunk = 65_536): (n: number) => Uint8Array {
  let buf = source(chunk);
  let at = 0;
  return (n) => {
    if (n > chunk) return source(n);
    if (at + n > buf.length) {
      buf = source(chunk);
      at = 0;
    }
    at += n;
    return buf.subarray(at - n, at);
  };
}

export interface CardsServiceDeps {
  db: Db;
  repo: CardsRepository;
  residents: CardSubjectSource;
  city: CityService;
  audit: Pick<AuditService, 'record' | 'recordMany'>;
  cipher: FieldCipher;
  blindIndex: BlindIndex;
  clock: () => Date;
  rules: CardRules;
  /** Random bytes: injected so tests can pin numbers and slots. */
  random?: (n: number) => Uint8Array;
}

/** Reads the claims of a credential we issued ourselves (no signature check needed: it comes from our database). */
export function claimsOf(qr: string): CardClaims {
  const { payload } = parseCompactJws(fromQrText(qr), { extraHeaders: ['zip'], maxPayloadBytes: 1024 });
  return fromPayload(payload);
}

export function createCardsService(deps: CardsServiceDeps) {
  const { db, repo, residents, city, audit, cipher, clock, rules } = deps;
  const random = deps.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  const credentialAad = (id: string) => `cards.credential:${id}`;
  const numberIndex = (canonicalNumber: string) => deps.blindIndex('card-number', canonicalNumber);
  const qrOf = (row: CardRow) => cipher.decryptText(row.credential, credentialAad(row.id));
  /** The card number lives only inside the sealed credential. */
  const numberOf = (row: CardRow) => claimsOf(qrOf(row)).number;
  const today = () => isoDay(clock());

  function view(row: CardRow): CardView {
    return {
      id: row.id,
      number: formatCardNumber(numberOf(row)),
      status: row.state as CardState,
      reason: row.reason,
      residentId: row.residentId,
      issuedAt: row.issuedAt.toISOString(),
      expiresAt: row.expiresOn,
      expired: row.expiresOn < today(),
      kid: row.kid,
    };
  }

  /** Canonical form of a card number from a URL: 400 when the check character is wrong. */
  function canonical(number: string): string {
    const n = normalizeCardNumber(number);
    if (!n || !isValidCardNumber(n)) throw new AppError('card-number-invalid');
    return n;
  }

  async function load(tx: Executor, number: string, forUpdate = false): Promise<CardRow> {
    const row = await repo.byNumberIndex(tx, numberIndex(canonical(number)), { forUpdate });
    if (!row) throw new AppError('card-not-found');
    return row;
  }

  /** A free random slot in the status list, growing the list when half full (so random picks stay cheap). */
  async function allocateSlot(tx: Executor, now: Date): Promise<{ index: number; resized: boolean; size: number; version: number }> {
    const state = await repo.lockStatusList(tx, rules.statusListMinSlots, now);
    let size = state.size;
    const used = await repo.count(tx);
    const resized = used + 1 > size / 2;
    if (resized) size *= 2;
    for (let attempt = 0; attempt < 20; attempt++) {
      const bytes = random(4 * 8);
      const candidates = Array.from({ length: 8 }, (_, i) => new DataView(bytes.buffer, bytes.byteOffset + i * 4, 4).getUint32(0) % size);
      const taken = await repo.indexesTaken(tx, candidates);
      const free = candidates.find((c) => !taken.has(c));
      if (free !== undefined) return { index: free, resized, size, version: state.version };
    }
    throw new Error('no free status list slot found');
  }

  async function freshNumber(tx: Executor): Promise<string> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const number = generateCardNumber(random);
      if (!(await repo.numberIndexTaken(tx, numberIndex(number)))) return number;
    }
    throw new Error('could not draw a free card number');
  }

  function newClaimCode(draw: (n: number) => Uint8Array = random): { code: string; hash: string } {
    const bytes = draw(CLAIM_CODE_LENGTH);
    let code = '';
    for (const b of bytes) code += CLAIM_ALPHABET[b & 31];
    return { code, hash: deps.blindIndex('claim-code', code) };
  }

  /** Issues a card for a resident inside `tx` (issue, renew, replace all come here). */
  /**
   * A new card for a holder: its claims (only what is printed), the signed
   * QR text, and the row to store (credential sealed, number as a blind
   * index, a one-time claim code). Shared by single and bulk issuance.
   */
  async function sealCard(args: {
    ctx: IssuerContext;
    signer: Signer;
    residentId: string;
    subject: CardSubject;
    number: string;
    slot: number;
    now: Date;
    draw: (n: number) => Uint8Array;
  }) {
    const { ctx, subject, now } = args;
    const issuedOn = isoDay(now);
    const expiresOn = cardExpiry(rules, issuedOn, subject.birthDate, ctx.signer.notAfter);
    const claims: CardClaims = {
      issuer: ctx.issuer,
      number: args.number,
      name: subject.printedName,
      birthDate: subject.birthDate,
      ...(subject.marker ? { marker: subject.marker } : {}),
      issuedOn,
      expiresOn,
      statusIndex: args.slot,
    };
    const qr = await issueCardQrText(claims, args.signer);
    const id = crypto.randomUUID();
    const claim = newClaimCode(args.draw);
    return {
      qr,
      claimCode: claim.code,
      expiresAt: new Date(`${expiresOn}T23:59:59Z`),
      row: {
        id,
        numberIndex: numberIndex(args.number),
        residentId: args.residentId,
        statusIndex: args.slot,
        kid: ctx.signer.kid,
        issuedAt: now,
        expiresOn,
        credential: cipher.encrypt(qr, credentialAad(id)),
        claimCodeHash: claim.hash,
        claimCodeExpiresAt: new Date(now.getTime() + CLAIM_CODE_DAYS * DAY),
      },
    };
  }

  /**
   * The signer and issuer id, read before a transaction opens: the embedded
   * database has one connection, so a read outside the transaction would wait on it.
   */
  async function issuerContext(): Promise<IssuerContext> {
    const [signer, row] = await Promise.all([city.activeSigner(), city.city()]);
    return { signer, issuer: row.id };
  }

  async function issueIn(tx: Executor, actor: Actor, residentId: string, ctx: IssuerContext, previous?: CardRow): Promise<IssuedCard> {
    const now = clock();
    const { signer } = ctx;
    const subject = await residents.cardSubject(tx, residentId);
    if (!subject) throw new AppError('resident-not-found');
    const active = await repo.activeForResident(tx, residentId);
    if (active.length > 0) throw new AppError('card-already-active', { extra: { number: formatCardNumber(numberOf(active[0]!)), state: active[0]!.state } });
    const slot = await allocateSlot(tx, now);
    const number = await freshNumber(tx);
    const card = await sealCard({ ctx, signer: { kid: signer.kid, privateKey: signer.privateKey, alg: 'EdDSA' }, residentId, subject, number, slot: slot.index, now, draw: random });
    const row = await repo.insert(tx, { ...card.row, state: 'active', previousId: previous?.id ?? null });
    if (slot.resized) await repo.bumpStatusList(tx, { version: slot.version + 1, size: slot.size, changedAt: now });
    await residents.setLastCardExpiry(tx, residentId, card.expiresAt);
    await audit.record(tx, { actor, action: 'card.issue', targetType: 'card', targetId: row.id });
    return { ...view(row), ...(previous ? { previousNumber: formatCardNumber(numberOf(previous)) } : {}), qr: card.qr, claimCode: card.claimCode };
  }

  async function bumpStatus(tx: Executor, now: Date) {
    const state = await repo.lockStatusList(tx, rules.statusListMinSlots, now);
    await repo.bumpStatusList(tx, { version: state.version + 1, size: state.size, changedAt: now });
  }

  return {
    view,

    async issue(actor: Actor, residentId: string): Promise<IssuedCard> {
      const ctx = await issuerContext();
      return db.transaction((tx) => issueIn(tx, actor, residentId, ctx));
    },

    async get(number: string): Promise<CardView & { qr: string }> {
      const row = await load(db, number);
      return { ...view(row), qr: qrOf(row) };
    },

    /** The holder's photo for a card of ours, for a verifier's screen; nothing is recorded. */
    async photoForCard(number: string): Promise<Buffer | undefined> {
      const n = normalizeCardNumber(number);
      if (!n) return undefined;
      const row = await repo.byNumberIndex(db, numberIndex(n));
      return row?.residentId ? residents.photo(db, row.residentId) : undefined;
    },

    /** Everything the PDF needs: the issued claims (as in the QR), the holder's photo and original-script name. */
    async printable(number: string): Promise<{ claims: CardClaims; qr: string; subject: Awaited<ReturnType<CardSubjectSource['cardSubject']>> }> {
      return db.transaction(async (tx) => {
        const row = await load(tx, number);
        const qr = qrOf(row);
        const subject = row.residentId ? await residents.cardSubject(tx, row.residentId, { photo: true }) : undefined;
        return { claims: claimsOf(qr), qr, subject };
      });
    },

    /**
     * Moves a card along card-states.ts. Renew and replace issue the new card
     * in the same transaction. Concurrent calls on one card queue on its row
     * lock; the later one sees the new state and gets 409.
     */
    async transition(actor: Actor, number: string, action: CardAction, reason?: string): Promise<{ card: CardView; newCard?: IssuedCard }> {
      const ctx = action === 'renew' || action === 'replace' ? await issuerContext() : undefined;
      return db.transaction(async (tx) => {
        const now = clock();
        const row = await load(tx, number, true);
        const from = row.state as CardState;
        const to = nextState(action, from);
        if (!to) throw new AppError('card-state-conflict', { detail: `A ${from} card cannot be ${action}d.`, extra: { state: from, action } });
        if ((action === 'revoke' || action === 'replace') && reason !== undefined && !rules.revocationReasons.includes(reason)) {
          throw new AppError('validation-failed', { errors: [{ path: '/body/reason', message: `must be one of ${rules.revocationReasons.join(', ')}` }] });
        }
        if ((action === 'revoke' || action === 'replace') && reason === undefined) {
          throw new AppError('validation-failed', { errors: [{ path: '/body/reason', message: 'is required' }] });
        }
        if (action === 'renew' && !inRenewalWindow(rules, row.expiresOn, isoDay(now))) {
          throw new AppError('card-not-renewable', { extra: { state: from, expiresAt: row.expiresOn } });
        }
        if ((action === 'renew' || action === 'replace') && !row.residentId) throw new AppError('resident-not-found');
        const updated = await repo.update(tx, row.id, {
          state: to,
          reason: action === 'renew' ? 'renewed' : action === 'reinstate' ? null : action === 'suspend' ? (reason ?? null) : (reason ?? null),
          version: row.version + 1,
          updatedAt: now,
          ...(to !== 'active' && to !== 'suspended' ? { claimCodeHash: null, claimCodeExpiresAt: null } : {}),
        });
        await bumpStatus(tx, now);
        await audit.record(tx, { actor, action: `card.${action}`, targetType: 'card', targetId: row.id });
        const newCard = action === 'renew' || action === 'replace' ? await issueIn(tx, actor, row.residentId!, ctx!, row) : undefined;
        return { card: view(updated), ...(newCard ? { newCard } : {}) };
      });
    },

    /**
     * Daily tidy-up. Expiry needs no job (a card past its day reports
     * `expired` wherever it is checked); this only drops claim codes that can
     * no longer be used, so no unusable secret lingers.
     */
    async tidyExpired(): Promise<{ expiredCards: number; claimCodesCleared: number }> {
      const now = clock();
      return db.transaction(async (tx) => {
        const claimCodesCleared = await repo.clearStaleClaimCodes(tx, now, isoDay(now));
        const expiredCards = await repo.countExpiredActive(tx, isoDay(now));
        await audit.record(tx, { actor: { type: 'system' }, action: 'cards.tidy_expired' });
        return { expiredCards, claimCodesCleared };
      });
    },

    /**
     * For the resident portal: uses up a card's one-time claim code. Returns
     * the holder when the number and code match a live card and the code is
     * still good; the code can never be used again.
     */
    async consumeClaimCode(tx: Executor, number: string, code: string): Promise<{ residentId: string } | undefined> {
      const n = normalizeCardNumber(number);
      if (!n || !isValidCardNumber(n)) return undefined;
      const row = await repo.byNumberIndex(tx, numberIndex(n), { forUpdate: true });
      const now = clock();
      const codeOk = row?.claimCodeHash && row.claimCodeHash === deps.blindIndex('claim-code', code.toUpperCase().replace(/[\s-]/g, ''));
      if (!row || !codeOk || !row.residentId || !row.claimCodeExpiresAt || row.claimCodeExpiresAt < now) return undefined;
      if (row.state !== 'active' && row.state !== 'suspended') return undefined;
      await repo.update(tx, row.id, { claimCodeHash: null, claimCodeExpiresAt: null, updatedAt: now });
      return { residentId: row.residentId };
    },

    /** The holder of a card number, if the number is valid and the card is live. */
    async holderOf(tx: Executor, number: string): Promise<string | undefined> {
      const n = normalizeCardNumber(number);
      if (!n || !isValidCardNumber(n)) return undefined;
      const row = await repo.byNumberIndex(tx, numberIndex(n));
      return row?.residentId && (row.state === 'active' || row.state === 'suspended') ? row.residentId : undefined;
    },

    /** A resident's cards, newest first, as they see them in the portal. */
    async forResident(residentId: string): Promise<CardView[]> {
      return (await repo.forResident(db, residentId)).reverse().map(view);
    },

    /** The resident's live card, for their own download. */
    async printableFor(residentId: string): Promise<{ claims: CardClaims; qr: string; subject: Awaited<ReturnType<CardSubjectSource['cardSubject']>> } | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await repo.activeForResident(tx, residentId);
        if (!row) return undefined;
        const qr = qrOf(row);
        return { claims: claimsOf(qr), qr, subject: await residents.cardSubject(tx, residentId, { photo: true }) };
      });
    },

    /**
     * Issues a card to every resident who has no live card, in batches (a
     * city's first issuance, or re-issuing everyone after a key compromise).
     * Each batch is one transaction: cards, residents' expiry and chained
     * audit entries together; a crash loses at most the batch in flight, and
     * running again continues where it stopped. The signing and sealing of
     * the next batch (Node's CPU) overlaps the writing of the current one
     * (the database's): the two halves take about as long as each other.
     */
    async issueMissing(actor: Actor, opts: { batchSize?: number; onProgress?: (issued: number, scanned: number) => void } = {}): Promise<{ issued: number }> {
      const batchSize = opts.batchSize ?? 1000;
      const ctx = await issuerContext();
      const signer = {
        kid: ctx.signer.kid,
        privateKey: ctx.signer.privateKey,
        alg: 'EdDSA' as const,
        // node:crypto signs ~5× faster than jose's WebCrypto path; the bytes are identical (Ed25519 is deterministic).
        signBytes: (data: Uint8Array) => nodeSign(null, data, ctx.signer.privateKey),
      };
      const used = new Set<number>(await repo.allStatusIndexes(db));
      // Random bytes drawn 64 KiB at a time: a million tiny draws cost more than the signatures.
      const random = bufferedRandom(deps.random ?? ((n: number) => new Uint8Array(randomBytes(n))));
      let size = (await repo.statusListState(db))?.size ?? rules.statusListMinSlots;

      type Prepared = { rows: Parameters<typeof repo.insertMany>[1]; events: Parameters<typeof audit.recordMany>[1]; expiries: Array<{ id: string; expiresAt: Date }>; size: number; scanned: number };

      /** Signs and seals one batch, outside any transaction. */
      async function prepare(ids: string[]): Promise<Prepared> {
        const now = clock();
        const live = await repo.residentsWithLiveCard(db, ids);
        const subjects = await residents.cardSubjectsMany(db, ids.filter((id) => !live.has(id)));
        while (used.size + subjects.size > size / 2) size *= 2;
        const numbers = new Map<string, string>();
        while (numbers.size < subjects.size) {
          const n = generateCardNumber(random);
          numbers.set(numberIndex(n), n);
        }
        for (const t of await repo.numberIndexesTaken(db, [...numbers.keys()])) numbers.delete(t);
        const freeNumbers = [...numbers.values()];
        while (freeNumbers.length < subjects.size) {
          const n = generateCardNumber(random);
          if (!(await repo.numberIndexTaken(db, numberIndex(n)))) freeNumbers.push(n);
        }
        const out: Prepared = { rows: [], events: [], expiries: [], size, scanned: ids.length };
        let k = 0;
        for (const [residentId, subject] of subjects) {
          let slot: number;
          do {
            const b = random(4);
            slot = new DataView(b.buffer, b.byteOffset, 4).getUint32(0) % size;
          } while (used.has(slot));
          used.add(slot);
          const card = await sealCard({ ctx, signer, residentId, subject, number: freeNumbers[k++]!, slot, now, draw: random });
          out.rows.push(card.row);
          out.events.push({ actor, action: 'card.issue', targetType: 'card', targetId: card.row.id });
          out.expiries.push({ id: residentId, expiresAt: card.expiresAt });
        }
        return out;
      }

      /** Writes one prepared batch in one transaction. */
      async function write(batch: Prepared): Promise<number> {
        if (batch.rows.length === 0) return 0;
        return db.transaction(async (tx) => {
          const state = await repo.lockStatusList(tx, rules.statusListMinSlots, clock());
          await repo.insertMany(tx, batch.rows);
          if (batch.size > state.size) await repo.bumpStatusList(tx, { version: state.version + 1, size: batch.size, changedAt: clock() });
          await residents.setLastCardExpiryMany(tx, batch.expiries);
          await audit.recordMany(tx, batch.events);
          return batch.rows.length;
        });
      }

      let issued = 0;
      let scanned = 0;
      let after: string | undefined;
      let writing: Promise<void> | undefined;
      for (;;) {
        const ids = await residents.residentIdsAfter(db, after, batchSize);
        if (ids.length === 0) break;
        after = ids[ids.length - 1];
        const batch = await prepare(ids);
        await writing;
        writing = write(batch).then((n) => {
          issued += n;
          scanned += batch.scanned;
          opts.onProgress?.(issued, scanned);
        });
      }
      await writing;
      return { issued };
    },

    /** The residents module's view of cards (ResidentCardsPort). */
    residentsPort: {
      async revokeAllForResident(tx: Executor, residentId: string, reason: 'erasure' | 'retention' | 'emergency') {
        const now = clock();
        const live = await repo.activeForResident(tx, residentId);
        for (const card of live) {
          await repo.update(tx, card.id, { state: 'revoked', reason, version: card.version + 1, updatedAt: now });
          await audit.record(tx, { actor: { type: 'system' }, action: 'card.revoke', targetType: 'card', targetId: card.id });
        }
        if (live.length) await bumpStatus(tx, now);
        await repo.detachResident(tx, residentId);
      },
      async residentIdsByCardNumber(tx: Executor, number: string): Promise<string[]> {
        const n = normalizeCardNumber(number);
        if (!n || !isValidCardNumber(n)) return [];
        const row = await repo.byNumberIndex(tx, numberIndex(n));
        return row?.residentId ? [row.residentId] : [];
      },
      async hasValidCard(tx: Executor, residentId: string, now: Date): Promise<boolean> {
        const day = isoDay(now);
        return (await repo.activeForResident(tx, residentId)).some((c) => c.state === 'active' && c.expiresOn >= day);
      },
    },
  };
}

export type CardsService = ReturnType<typeof createCardsService>;
