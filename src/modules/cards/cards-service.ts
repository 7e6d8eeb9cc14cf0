/**
 * Issuing cards and moving them through their life (card-states.ts). Every
 * change happens in one transaction with its audit entry and the status
 * list's version bump; knows nothing of HTTP.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { generateCardNumber, formatCardNumber, normalizeCardNumber, isValidCardNumber, type CardClaims } from '../../credential/index.js';
import { statusListUrlOf } from './status-list-url.js';
import type { Db, Executor } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { BlindIndex } from '../../security/blind-index.js';
import type { HolderCipher } from '../residents/resident-keys.js';
import { cardNameErrors, nameTooLongForCard } from '../residents/card-budget.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import type { CityService } from '../city/city-service.js';
import type { CardSubjectSource } from './card-subject.js';
import { inRenewalWindow, isoDay, renewalWindow, type CardRules } from './card-rules.js';
import { nextState, type CardAction, type CardState } from './card-states.js';
import type { CardRow, CardsRepository } from './cards-repository.js';
import { createBulkIssuance } from './bulk-issuance.js';
import { CLAIM_CODE_DAYS, claimsOf, createCardSealer, type IssuerContext } from './card-sealing.js';

/** Tests and tools read a stored card's claims through here. */
export { claimsOf };


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


export interface CardsServiceDeps {
  db: Db;
  repo: CardsRepository;
  residents: CardSubjectSource;
  city: CityService;
  audit: Pick<AuditService, 'record' | 'recordMany'>;
  blindIndex: BlindIndex;
  clock: () => Date;
  rules: CardRules;
  /** Random bytes: injected so tests can pin numbers and slots. */
  random?: (n: number) => Uint8Array;
  /** The city's public address: the cards' issuer URI (CWT `iss`); their status list is `${publicUrl}/v1/status-list`. */
  publicUrl: string;
  /**
   * Told each status-list version this service writes (a transition, an
   * erasure's revocations, a list grown by issuance), inside its
   * transaction: this instance's trust store then reads the change at once.
   */
  onStatusChange?: (version: number) => void;
}

export function createCardsService(deps: CardsServiceDeps) {
  const { db, residents, city, audit, clock, rules } = deps;
  // Every write of the status-list version goes through here (bulk issuance included), so none is missed.
  const repo: CardsRepository = {
    ...deps.repo,
    async bumpStatusList(tx, patch) {
      await deps.repo.bumpStatusList(tx, patch);
      deps.onStatusChange?.(patch.version);
    },
  };
  const random = deps.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  const sealer = createCardSealer({ blindIndex: deps.blindIndex, rules });
  const { numberIndex, qrOf, numberOf, sealCard } = sealer;
  const today = () => isoDay(clock());
  let photoOfCard: ReturnType<CardSubjectSource['photoOfHolder']> | undefined;

  /**
   * The cipher of a card's holder. A card whose holder was erased keeps only
   * its slot and answers 410 everywhere: nothing of it can be opened any more.
   */
  async function cipherOf(tx: Executor, row: CardRow): Promise<HolderCipher> {
    const c = row.residentId && row.credential ? (await residents.holders(tx, [row.residentId])).get(row.residentId) : undefined;
    if (!c) throw new AppError('card-erased');
    return c;
  }

  function view(row: CardRow, holder: HolderCipher): CardView {
    return {
      id: row.id,
      number: formatCardNumber(numberOf(row, holder)),
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
    if (!row.credential) throw new AppError('card-erased');
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

  /**
   * The signer and issuer id, read before a transaction opens: the embedded
   * database has one connection, so a read outside the transaction would wait on it.
   */
  async function issuerContext(): Promise<IssuerContext> {
    const [signer, row] = await Promise.all([city.activeSigner(), city.city()]);
    return { signer, issuer: row.id, issuerUri: deps.publicUrl, statusListUrl: statusListUrlOf(deps.publicUrl), country: row.country };
  }

  async function issueIn(tx: Executor, actor: Actor, residentId: string, ctx: IssuerContext, previous?: CardRow): Promise<IssuedCard> {
    const now = clock();
    const { signer } = ctx;
    const subject = await residents.cardSubject(tx, residentId);
    if (!subject) throw new AppError('resident-not-found');
    // A record from before enrolment checked the card budget: a clear 422 for the clerk, not a 500 from the signer.
    const tooLong = cardNameErrors({ printed: subject.printedName, ...(subject.originalName ? { original: subject.originalName } : {}) }, '/names');
    if (tooLong.length > 0) throw nameTooLongForCard(tooLong);
    // The card is the holder's photo ID: without a photo it proves nothing at a counter (issue 15, item 4).
    if (rules.photoRequired && !(await residents.hasPhoto(tx, residentId))) throw new AppError('photo-required');
    const holder = (await residents.holders(tx, [residentId])).get(residentId)!;
    const active = await repo.activeForResident(tx, residentId);
    if (active.length > 0) throw new AppError('card-already-active', { extra: { number: formatCardNumber(numberOf(active[0]!, holder)), state: active[0]!.state } });
    const slot = await allocateSlot(tx, now);
    const number = await freshNumber(tx);
    const card = await sealCard({ ctx, signer: { kid: signer.kid, privateKey: signer.privateKey, alg: 'EdDSA' }, residentId, holder, subject, number, slot: slot.index, now, draw: random });
    const row = await repo.insert(tx, { ...card.row, state: 'active', previousId: previous?.id ?? null });
    if (slot.resized) await repo.bumpStatusList(tx, { version: slot.version + 1, size: slot.size, changedAt: now });
    await residents.setLastCardExpiry(tx, residentId, card.expiresAt);
    await audit.record(tx, { actor, action: 'card.issue', targetType: 'card', targetId: row.id, subject: residentId });
    return { ...view(row, holder), ...(previous ? { previousNumber: formatCardNumber(numberOf(previous, holder)) } : {}), qr: card.qr, claimCode: card.claimCode };
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
      const holder = await cipherOf(db, row);
      return { ...view(row, holder), qr: qrOf(row, holder) };
    },

    /** The holder's photo for a card of ours, for a verifier's screen; nothing is recorded. */
    async photoForCard(number: string): Promise<Buffer | undefined> {
      const n = normalizeCardNumber(number);
      if (!n) return undefined;
      // Card → holder → photo and key in one prepared statement: one round trip per check.
      photoOfCard ??= residents.photoOfHolder(db, repo.holderOfNumberIndex(sql.placeholder('numberIndex')));
      return photoOfCard({ numberIndex: numberIndex(n) });
    },

    /** Everything the PDF needs: the issued claims (as in the QR), the holder's photo and original-script name. */
    async printable(number: string): Promise<{ claims: CardClaims; qr: string; subject: Awaited<ReturnType<CardSubjectSource['cardSubject']>> }> {
      return db.transaction(async (tx) => {
        const row = await load(tx, number);
        const qr = qrOf(row, await cipherOf(tx, row));
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
        const holder = await cipherOf(tx, row);
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
          const window = renewalWindow(rules, row.expiresOn);
          // Says when renewal opens (or closed), so the desk can tell the resident when to come back.
          throw new AppError('card-not-renewable', { extra: { state: from, expiresAt: row.expiresOn, renewableFrom: window.from, renewableUntil: window.until } });
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
        await audit.record(tx, { actor, action: `card.${action}`, targetType: 'card', targetId: row.id, subject: row.residentId! });
        const newCard = action === 'renew' || action === 'replace' ? await issueIn(tx, actor, row.residentId!, ctx!, row) : undefined;
        return { card: view(updated, holder), ...(newCard ? { newCard } : {}) };
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
      if (row && !row.credential) throw new AppError('card-erased');
      const now = clock();
      const codeOk = row?.claimCodeHash && row.claimCodeHash === sealer.claimCodeHash(code);
      if (!row || !codeOk || !row.residentId || !row.claimCodeExpiresAt || row.claimCodeExpiresAt < now) return undefined;
      if (row.state !== 'active' && row.state !== 'suspended') return undefined;
      await repo.update(tx, row.id, { claimCodeHash: null, claimCodeExpiresAt: null, updatedAt: now });
      return { residentId: row.residentId };
    },

    /**
     * A new one-time claim code for a live card (issue 15, item 7): for a
     * resident who lost the receipt or forgot their PIN. The previous code is
     * dead from this commit on (one hash per card). The audit entry names the
     * card and the clerk, never the code.
     */
    async newClaimCode(actor: Actor, number: string): Promise<{ number: string; claimCode: string; claimCodeExpiresAt: string }> {
      return db.transaction(async (tx) => {
        const now = clock();
        const row = await load(tx, number, true);
        const holder = await cipherOf(tx, row);
        const state = row.state as CardState;
        if ((state !== 'active' && state !== 'suspended') || row.expiresOn < isoDay(now)) {
          throw new AppError('card-state-conflict', { detail: 'Only a live card (active or suspended, not expired) can be claimed.', extra: { state, action: 'claim-code' } });
        }
        const claim = sealer.newClaimCode(random);
        const expiresAt = new Date(now.getTime() + CLAIM_CODE_DAYS * 86_400_000);
        await repo.update(tx, row.id, { claimCodeHash: claim.hash, claimCodeExpiresAt: expiresAt, updatedAt: now });
        await audit.record(tx, { actor, action: 'card.claim_code', targetType: 'card', targetId: row.id, subject: row.residentId! });
        return { number: formatCardNumber(numberOf(row, holder)), claimCode: claim.code, claimCodeExpiresAt: expiresAt.toISOString() };
      });
    },

    /** The holder of a card number, if the number is valid and the card is live. */
    async holderOf(tx: Executor, number: string): Promise<string | undefined> {
      const n = normalizeCardNumber(number);
      if (!n || !isValidCardNumber(n)) return undefined;
      const row = await repo.byNumberIndex(tx, numberIndex(n));
      if (row && !row.credential) throw new AppError('card-erased');
      return row?.residentId && (row.state === 'active' || row.state === 'suspended') ? row.residentId : undefined;
    },

    /** A resident's cards, newest first, as they see them in the portal. */
    async forResident(residentId: string): Promise<CardView[]> {
      const holder = (await residents.holders(db, [residentId])).get(residentId);
      return holder ? (await repo.forResident(db, residentId)).reverse().map((row) => view(row, holder)) : [];
    },

    /** The resident's live card, for their own download. */
    async printableFor(residentId: string): Promise<{ claims: CardClaims; qr: string; subject: Awaited<ReturnType<CardSubjectSource['cardSubject']>> } | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await repo.activeForResident(tx, residentId);
        if (!row) return undefined;
        const qr = qrOf(row, await cipherOf(tx, row));
        return { claims: claimsOf(qr), qr, subject: await residents.cardSubject(tx, residentId, { photo: true }) };
      });
    },

    /** Bulk issuance (bulk-issuance.ts): a card for every resident without a live one. */
    issueMissing: createBulkIssuance({ db, repo, residents, audit, clock, rules, sealer, issuerContext, random: deps.random }).issueMissing,

    /** The residents module's view of cards (ResidentCardsPort). */
    residentsPort: {
      async revokeAllForResident(tx: Executor, residentId: string, reason: 'erasure' | 'retention' | 'emergency') {
        const now = clock();
        const live = await repo.activeForResident(tx, residentId);
        for (const card of live) {
          await repo.update(tx, card.id, { state: 'revoked', reason, version: card.version + 1, updatedAt: now });
          await audit.record(tx, { actor: { type: 'system' }, action: 'card.revoke', targetType: 'card', targetId: card.id, subject: residentId });
        }
        if (live.length) await bumpStatus(tx, now);
        // Only the slot stays (its revoked bit is what the status list needs) and the number's index (410, never drawn again).
        await repo.eraseForResident(tx, residentId);
      },
      async minimiseForResident(tx: Executor, residentId: string, from: HolderCipher, to: HolderCipher, now: Date) {
        const day = isoDay(now);
        for (const card of await repo.forResident(tx, residentId, { forUpdate: true })) {
          const valid = card.state === 'active' && card.expiresOn >= day && card.credential;
          if (valid) await repo.update(tx, card.id, { credential: sealer.reseal(card, from, to) });
          else await repo.eraseCard(tx, card.id);
        }
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
