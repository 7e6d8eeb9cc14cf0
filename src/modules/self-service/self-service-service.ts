/**
 * The resident portal: claim a card with the receipt's one-time code and set
 * a PIN or passphrase, sign in again with card number + PIN, download the
 * card, see every piece of data the city holds, get a short-lived "valid
 * resident" proof, and erase oneself. Knows nothing of HTTP.
 */
import { createHmac, randomBytes, sign as nodeSign } from 'node:crypto';
import { signResidentProof } from '../../credential/index.js';
import type { PasswordHashParams } from '../../config.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import { dummyHash, hashPassword, verifyPassword } from '../../security/password.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import type { CardsService, CardView } from '../cards/cards-service.js';
import type { CityService } from '../city/city-service.js';
import type { ResidentsService, ResidentView } from '../residents/residents-service.js';
import type { ResidentPatch } from '../residents/resident-record.js';
import type { AccountRow, SelfServiceRepository } from './self-service-repository.js';
import { trivialPinReason } from './pin-rules.js';

/**
 * Five guesses, then the account locks for 15 minutes (and its sessions
 * end). Guesses are counted before the PIN is checked, so a sixth guess sent
 * at the same moment as the first five is refused unchecked.
 */
export const PIN_POLICY = { maxFailures: 5, lockMs: 15 * 60_000 } as const;
/** A resident proof lasts minutes: long enough to show at a counter, too short to be passed around. */
export const PROOF_LIFETIME_SECONDS = 10 * 60;

/** What the resident is told when the PIN they chose is refused. */
const TRIVIAL_DETAIL = {
  repeated: 'A PIN or passphrase made of one short group repeated (111111, 121212, 123123) is among the first guesses anyone tries.',
  sequential: 'A run of consecutive digits (123456, 987654) is among the first guesses anyone tries.',
  common: 'This PIN or passphrase is among the most used ones, so among the first guesses anyone tries.',
} as const;

export interface SelfServiceDeps {
  db: Db;
  repo: SelfServiceRepository;
  cards: CardsService;
  residents: ResidentsService;
  city: CityService;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  passwordHash: PasswordHashParams;
  /** Peppers PINs before hashing: without MASTER_KEY a stolen hash cannot be brute-forced offline. */
  pinPepper: Buffer;
  /** The city's public address: the resident proof's issuer URI (CWT `iss`), as on its cards. */
  publicUrl: string;
  /** The city's names for each document type, by language (evidence-rules.json): the portal shows words, not `shelter-letter`. */
  documentLabels?: Record<string, Record<string, string>>;
}

export interface SelfData {
  resident: ResidentView;
  cards: CardView[];
  account: { createdAt: string };
  /** The city's names, by language, of the document types in the record's evidence. */
  documents: Record<string, Record<string, string>>;
}

export function createSelfServiceService(deps: SelfServiceDeps) {
  const { db, repo, cards, residents, audit, clock } = deps;
  const peppered = (pin: string) => createHmac('sha256', deps.pinPepper).update(pin.normalize('NFKC')).digest('base64');
  const actorOf = (account: { id: string }): Actor => ({ type: 'resident', id: account.id });
  let dummy: Promise<string> | undefined;
  const locked = (until: Date, now: Date) =>
    new AppError('account-locked', { headers: { 'retry-after': String(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))) } });

  async function liveAccount(accountId: string): Promise<AccountRow> {
    const account = await repo.byId(db, accountId);
    if (!account) throw new AppError('token-invalid');
    return account;
  }

  return {
    /** Uses the one-time claim code and sets the PIN; a new code (from a clerk) lets a resident who forgot it set another. */
    async claim(input: { number: string; claimCode: string; pin: string }): Promise<AccountRow> {
      // Refused before the code is used, so the resident can choose again with the same code.
      const trivial = trivialPinReason(input.pin);
      if (trivial) throw new AppError('pin-too-simple', { detail: TRIVIAL_DETAIL[trivial], extra: { reason: trivial } });
      const pinHash = await hashPassword(peppered(input.pin), deps.passwordHash);
      const now = clock();
      const account = await db.transaction(async (tx) => {
        const claimed = await cards.consumeClaimCode(tx, input.number, input.claimCode);
        if (!claimed) return undefined;
        const row = await repo.upsert(tx, claimed.residentId, pinHash, now);
        await audit.record(tx, { actor: actorOf(row), action: 'self.claim', targetType: 'resident', targetId: claimed.residentId });
        return row;
      });
      if (!account) {
        await db.transaction((tx) => audit.record(tx, { actor: { type: 'anonymous' }, action: 'self.claim_failed', outcome: 'failure' }));
        throw new AppError('claim-invalid');
      }
      return account;
    },

    /**
     * Card number + PIN. Same answer, after the same scrypt work, whether
     * the card, the account or the PIN is wrong: neither the answer nor its
     * timing tells whether a card was claimed.
     */
    async login(input: { number: string; pin: string }): Promise<AccountRow> {
      const now = clock();
      const residentId = await cards.holderOf(db, input.number);
      const account = residentId ? await repo.byResident(db, residentId) : undefined;
      const failed = async (lockIfReached?: string) => {
        await db.transaction(async (tx) => {
          if (lockIfReached) await repo.lockIfReached(tx, lockIfReached, now, PIN_POLICY);
          await audit.record(tx, { actor: { type: 'anonymous' }, action: 'self.login_failed', outcome: 'failure' });
        });
        return new AppError('invalid-credentials');
      };
      if (!account) {
        await verifyPassword(peppered(input.pin), await (dummy ??= dummyHash(deps.passwordHash)));
        throw await failed();
      }
      const counted = await repo.countGuess(db, account.id, now);
      if (!counted) throw await failed(); // erased meanwhile
      if (counted.lockedUntil && counted.lockedUntil > now) throw locked(counted.lockedUntil, now);
      // Beyond the limit while the guess that reached it is still being checked: refused unchecked.
      if (counted.failedAttempts > PIN_POLICY.maxFailures) throw locked(new Date(now.getTime() + PIN_POLICY.lockMs), now);
      if (!(await verifyPassword(peppered(input.pin), counted.pinHash))) {
        throw await failed(counted.failedAttempts >= PIN_POLICY.maxFailures ? account.id : undefined);
      }
      const cleared = await repo.clearGuesses(db, account.id);
      if (!cleared) throw await failed();
      return cleared;
    },

    /** Whether a session (account id, token version) may still act. */
    async sessionActive(accountId: string, tokenVersion: number): Promise<boolean> {
      const account = await repo.byId(db, accountId);
      return account !== undefined && account.tokenVersion === tokenVersion && !(account.lockedUntil && account.lockedUntil > clock());
    },

    /** Every piece of data the city holds on the resident. */
    async data(accountId: string): Promise<SelfData> {
      const account = await liveAccount(accountId);
      const actor = actorOf(account);
      const [resident, cardList] = await Promise.all([residents.get(actor, account.residentId), cards.forResident(account.residentId)]);
      const documents = Object.fromEntries(resident.evidence.items.map((e) => [e.type, deps.documentLabels?.[e.type] ?? {}]));
      return { resident, cards: cardList, account: { createdAt: account.createdAt.toISOString() }, documents };
    },

    async photo(accountId: string): Promise<Buffer> {
      const account = await liveAccount(accountId);
      return (await residents.photo(actorOf(account), account.residentId)).jpeg;
    },

    async card(accountId: string) {
      const account = await liveAccount(accountId);
      const printable = await cards.printableFor(account.residentId);
      if (!printable) throw new AppError('card-not-found');
      await db.transaction((tx) => audit.record(tx, { actor: actorOf(account), action: 'self.card_download', targetType: 'resident', targetId: account.residentId }));
      return printable;
    },

    /** A short-lived proof of "valid card holder of this city" — no name, no birth date, no number. */
    async proof(accountId: string): Promise<{ qr: string; validUntil: string }> {
      const account = await liveAccount(accountId);
      const today = clock().toISOString().slice(0, 10);
      const live = (await cards.forResident(account.residentId)).find((c) => c.status === 'active' && c.expiresAt >= today);
      if (!live) throw new AppError('card-not-valid');
      const signer = await deps.city.activeSigner();
      const now = clock();
      const validUntil = new Date(now.getTime() + PROOF_LIFETIME_SECONDS * 1000);
      const qr = await signResidentProof(
        { issuer: deps.publicUrl, issuedAt: now, validUntil, random: (n) => new Uint8Array(randomBytes(n)) },
        { kid: signer.kid, privateKey: signer.privateKey, alg: 'EdDSA', signBytes: (data) => nodeSign(null, data, signer.privateKey) },
      );
      return { qr, validUntil: validUntil.toISOString() };
    },

    /**
     * For the road (issue 19): the holder sets, changes or removes (null) the
     * emergency contact and whether the card prints it and the rights panel;
     * the next card download prints what was asked. Sealed like the record.
     */
    async road(accountId: string, patch: Pick<ResidentPatch, 'emergencyContact' | 'printRightsPanel'>): Promise<Pick<ResidentView, 'emergencyContact' | 'printRightsPanel'>> {
      const account = await liveAccount(accountId);
      const r = await residents.update(actorOf(account), account.residentId, patch, 'any');
      return { ...(r.emergencyContact ? { emergencyContact: r.emergencyContact } : {}), printRightsPanel: r.printRightsPanel === true };
    },

    /** Erasure by the resident: the record, photo and account go; the card is revoked. */
    async erase(accountId: string): Promise<void> {
      const account = await liveAccount(accountId);
      await residents.erase(actorOf(account), account.residentId, 'any');
    },
  };
}

export type SelfServiceService = ReturnType<typeof createSelfServiceService>;
