/**
 * What the cards module needs from a resident record, and may tell it back.
 * The residents module implements it (residents-service `cardSubjects`), so
 * cards never read resident tables or decrypt resident fields themselves.
 */
import type { SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Language } from '../../i18n/languages.js';
import type { HolderCipher } from '../residents/resident-keys.js';

export interface CardSubject {
  printedName: string;
  /** Name in its original script, printed under the Latin one when present. */
  originalName?: string;
  birthDate: string | null;
  /** Only when the holder asked for it to be printed. */
  marker?: string;
  preferredLanguage: Language;
  photoJpeg?: Buffer;
  /** For the road (issue 19), only what the holder asked to print on the back; never in the QR. */
  road?: { emergencyContact?: { name?: string; phone: string }; rightsPanel: boolean };
}

export interface CardSubjectSource {
  /** The resident's card data, locking the record for the transaction; undefined when there is no such resident. */
  cardSubject(tx: Executor, residentId: string, opts?: { photo?: boolean }): Promise<CardSubject | undefined>;
  /** The card photo alone, without locking or auditing (a verifier's look, which must leave no trace). */
  photo(tx: Executor, residentId: string): Promise<Buffer | undefined>;
  /**
   * A reader of the card photo of the resident `holder` selects (a scalar
   * subquery; its placeholders are the reader's parameters), prepared once:
   * each read is one statement, without locking or auditing.
   */
  photoOfHolder(db: Executor, holder: SQL): (params: Record<string, unknown>) => Promise<Buffer | undefined>;
  /** Whether the record has a card photo (nothing is decrypted). */
  hasPhoto(tx: Executor, residentId: string): Promise<boolean>;
  /** Records the expiry of the resident's latest card (retention counts from it). */
  setLastCardExpiry(tx: Executor, residentId: string, expiresOn: Date): Promise<void>;
  /** Bulk issuance: resident ids in id order after `after`. */
  residentIdsAfter(tx: Executor, after: string | undefined, limit: number): Promise<string[]>;
  /** Bulk issuance: the card data of many residents at once (no photo, no lock). */
  cardSubjectsMany(tx: Executor, ids: string[]): Promise<Map<string, CardSubject>>;
  setLastCardExpiryMany(tx: Executor, updates: Array<{ id: string; expiresAt: Date }>): Promise<void>;
  /** The holders' ciphers: a card's credential is sealed with its holder's data key, so it dies with the holder's record. */
  holders(tx: Executor, residentIds: string[]): Promise<Map<string, HolderCipher>>;
}
