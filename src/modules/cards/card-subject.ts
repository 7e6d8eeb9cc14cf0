/**
 * What the cards module needs from a resident record, and may tell it back.
 * The residents module implements it (residents-service `cardSubjects`), so
 * cards never read resident tables or decrypt resident fields themselves.
 */
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
}

export interface CardSubjectSource {
  /** The resident's card data, locking the record for the transaction; undefined when there is no such resident. */
  cardSubject(tx: Executor, residentId: string, opts?: { photo?: boolean }): Promise<CardSubject | undefined>;
  /** The card photo alone, without locking or auditing (a verifier's look, which must leave no trace). */
  photo(tx: Executor, residentId: string): Promise<Buffer | undefined>;
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
