/**
 * A card at rest and in the hand: the claims (only what is printed), the
 * signed QR text, and the row that stores it — credential sealed with
 * AES-256-GCM (AAD `cards.credential:<id>`), number as a keyed blind index,
 * a one-time claim code for the resident portal. Shared by single and bulk
 * issuance, and the one place that opens a stored credential.
 */
import { sign as nodeSign } from 'node:crypto';
import { issueCardQrText, fromCwtClaims, inspectCredential, type CardClaims, type Signer } from '../../credential/index.js';
import type { BlindIndex } from '../../security/blind-index.js';
import { AppError } from '../../errors/app-error.js';
import type { HolderCipher } from '../residents/resident-keys.js';
import type { CardSubject } from './card-subject.js';
import { cardExpiry, isoDay, type CardRules } from './card-rules.js';
import type { CardRow } from './cards-repository.js';

/** Crockford base32 without I, L, O, U: what a resident can read off a slip and type. */
const CLAIM_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CLAIM_CODE_LENGTH = 10;
/** How long a claim code works after it is drawn (at issuance or by a clerk's "new claim code"). */
export const CLAIM_CODE_DAYS = 90;
const DAY = 86_400_000;

/**
 * A claim code as typed: case and separators ignored, and the letters that
 * Crockford base32 reads as digits taken as those digits (O → 0, I and L → 1),
 * so a code copied off a slip by eye still works.
 */
export function normalizeClaimCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The signer and issuer, read before a transaction opens. */
export interface IssuerContext {
  signer: { kid: string; privateKey: import('node:crypto').KeyObject; notAfter: Date };
  /** Issuer id (`fr-strasbourg`). */
  issuer: string;
  /** Issuer URI (the cards' CWT `iss`): the city's public address. */
  issuerUri: string;
  /** The status list's URL (the cards' `status.status_list.uri`, the list's `sub`). */
  statusListUrl: string;
  /** ISO 3166-1 alpha-2 (Claim 169 attribute 23). */
  country: string;
}

/** Reads the claims of a credential we issued ourselves (no signature check needed: it comes from our database). */
export function claimsOf(qr: string): CardClaims {
  return fromCwtClaims(inspectCredential(qr).cwt);
}

/** A signer with node:crypto's raw signing (a KeyObject cannot go through WebCrypto; same bytes, Ed25519 is deterministic). */
export function nodeSigner(signer: { kid: string; privateKey: import('node:crypto').KeyObject }): Signer {
  return { kid: signer.kid, privateKey: signer.privateKey, alg: 'EdDSA', signBytes: (data) => nodeSign(null, data, signer.privateKey) };
}

/** Serves small random draws from a larger buffer refilled from `source`. */
export function bufferedRandom(source: (n: number) => Uint8Array, chunk = 65_536): (n: number) => Uint8Array {
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

export function createCardSealer(deps: { blindIndex: BlindIndex; rules: CardRules }) {
  const { rules } = deps;
  const credentialAad = (id: string) => `cards.credential:${id}`;
  const numberIndex = (canonicalNumber: string) => deps.blindIndex('card-number', canonicalNumber);
  /** The credential is sealed with the holder's data key: it opens only while the holder's record exists. */
  const qrOf = (row: CardRow, holder: HolderCipher) => {
    if (!row.credential) throw new AppError('card-erased');
    return holder.decryptText(row.credential, credentialAad(row.id));
  };

  function newClaimCode(draw: (n: number) => Uint8Array): { code: string; hash: string } {
    const bytes = draw(CLAIM_CODE_LENGTH);
    let code = '';
    for (const b of bytes) code += CLAIM_ALPHABET[b & 31];
    return { code, hash: deps.blindIndex('claim-code', code) };
  }

  /**
   * A new card for a holder: its claims (only what is printed), the signed
   * QR text, and the row to store (credential sealed, number as a blind
   * index, a one-time claim code). Shared by single and bulk issuance.
   */
  async function sealCard(args: {
    ctx: IssuerContext;
    signer: Signer;
    residentId: string;
    /** The holder's cipher: the credential is sealed with their data key. */
    holder: HolderCipher;
    subject: CardSubject;
    number: string;
    slot: number;
    now: Date;
    draw: (n: number) => Uint8Array;
  }) {
    const { ctx, subject, now } = args;
    const issuedOn = isoDay(now);
    const expiresOn = cardExpiry(rules, issuedOn, subject.birthDate, ctx.signer.notAfter);
    // Printed fields only (DESIGN.md "Credential (v2)"). No attribute 3 (card
    // language): the same credential is printed in whichever language the
    // PDF is asked for. No attribute 20: the record does not hold the
    // original name's language, and the card does not print one.
    const claims: CardClaims = {
      issuer: ctx.issuerUri,
      number: args.number,
      name: subject.printedName,
      // Attribute 19 only when the card prints it (src/pdf/render.ts: not when it repeats the printed name).
      ...(subject.originalName?.trim() && subject.originalName.trim() !== subject.printedName.trim() ? { originalName: subject.originalName.trim() } : {}),
      birthDate: subject.birthDate,
      ...(subject.marker ? { marker: subject.marker } : {}),
      country: ctx.country,
      issuedOn,
      expiresOn,
      statusIndex: args.slot,
      statusUri: ctx.statusListUrl,
    };
    const qr = await issueCardQrText(claims, args.signer.signBytes ? args.signer : nodeSigner({ kid: args.signer.kid, privateKey: args.signer.privateKey as import('node:crypto').KeyObject }));
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
        credential: args.holder.encrypt(qr, credentialAad(id)),
        claimCodeHash: claim.hash,
        claimCodeExpiresAt: new Date(now.getTime() + CLAIM_CODE_DAYS * DAY),
      },
    };
  }

  return {
    numberIndex,
    claimCodeHash: (code: string) => deps.blindIndex('claim-code', normalizeClaimCode(code)),
    /** A fresh one-time code and its blind index (random from `draw`). */
    newClaimCode,
    /** The QR text of a stored card. */
    qrOf,
    /** The card number lives only inside the sealed credential. */
    numberOf: (row: CardRow, holder: HolderCipher) => claimsOf(qrOf(row, holder)).number,
    /** The credential sealed again with a holder's new key (the emergency purge rotates keys). */
    reseal: (row: CardRow, from: HolderCipher, to: HolderCipher) => to.encrypt(qrOf(row, from), credentialAad(row.id)),
    sealCard,
  };
}

export type CardSealer = ReturnType<typeof createCardSealer>;
