/**
 * One check, start to finish: the text of a QR code → what the page shows.
 * Fails closed: without a usable list (none, out of date, or a device clock
 * behind it) no card is checked at all, and a card whose issuer's status list
 * could not be verified is never shown as valid.
 */
import { BASE45_ALPHABET, type CardClaims, type IssuerInfo, type VerificationResultCode, credentialKind, verifyCredential, verifyResidentProof } from '../../credential/index.js';
import type { OnlineAnswer } from './online.js';
import { type LoadedTrust, freshness } from './trust.js';
import type { LoadedDirectory } from './directory.js';

export type Outcome = VerificationResultCode | 'out_of_date' | 'clock_wrong' | 'no_list' | 'unchecked';
export type Tone = 'ok' | 'warn' | 'bad';

export const TONES: Record<Outcome, Tone> = {
  valid: 'ok',
  expired: 'warn',
  not_yet_valid: 'warn',
  suspended: 'bad',
  revoked: 'bad',
  key_revoked: 'bad',
  unknown_issuer: 'warn',
  foreign_issuer: 'warn',
  invalid_signature: 'bad',
  malformed: 'warn',
  out_of_date: 'warn',
  clock_wrong: 'warn',
  no_list: 'warn',
  unchecked: 'warn',
};

export interface CheckView {
  outcome: Outcome;
  kind: 'card' | 'proof';
  issuer?: IssuerInfo;
  claims?: CardClaims;
  /** Resident proofs: until when it holds. */
  validUntil?: string;
  /** Checked by the city's server for a signed-in official or partner: what its profile shows. */
  online?: OnlineAnswer;
  /** Signed in, yet checked on the device: why (no network, session ended, refused, server error). */
  fallback?: 'network' | 'signed_out' | 'not_allowed' | 'server';
  /** foreign_issuer: a genuine card of that city, in force there (issue 19); false when not in force or its revocation could not be checked. */
  genuine?: boolean;
  /** foreign_issuer: what the card reads in its own country. */
  cardStatus?: string;
}

/** The server's answer as the page shows it (an unknown result code is never green). */
export function onlineView(a: OnlineAnswer): CheckView {
  const outcome: Outcome = a.result in TONES ? a.result : 'malformed';
  return { outcome, kind: a.kind === 'resident_proof' ? 'proof' : 'card', ...(a.issuer ? { issuer: a.issuer } : {}), ...(a.validUntil ? { validUntil: a.validUntil } : {}), online: a };
}

const BASE45_CHARS = new Set(BASE45_ALPHABET);

/**
 * True when the text can be a Claim 169 QR code (card or resident proof):
 * Base45 only, at least a COSE_Sign1's worth. (Base45 has a space, so the
 * text is not trimmed.) The page checks it; this only filters other QR codes.
 */
export const looksLikeCode = (text: string): boolean => {
  const t = text.startsWith('#') ? text.slice(1) : text;
  return t.length >= 100 && [...t].every((c) => BASE45_CHARS.has(c));
};

export async function check(text: string, loaded: LoadedTrust | undefined, now: Date, directory?: LoadedDirectory): Promise<CheckView> {
  // Base45 has a space: only line breaks around a pasted text are dropped.
  const qr = text.replace(/^[\r\n]+|[\r\n]+$/g, '');
  const kind = credentialKind(qr) === 'resident_proof' ? 'proof' : 'card';
  if (!loaded) return { outcome: 'no_list', kind };
  const fresh = freshness(loaded.info, now);
  if (fresh === 'clock_wrong' || fresh === 'out_of_date') return { outcome: fresh, kind };
  if (kind === 'proof') {
    const r = await verifyResidentProof(qr, { trust: loaded.trust, now });
    return { outcome: r.result, kind, ...(r.issuer ? { issuer: r.issuer } : {}), ...(r.validUntil ? { validUntil: r.validUntil } : {}) };
  }
  // "Cards from any city in the directory": the issuer the card names, prepared on first use (directory.ts).
  const extra = directory && now.getTime() <= directory.graceUntil.getTime() ? await directory.trustFor(qr, loaded.trust, now) : undefined;
  const r = await verifyCredential(qr, { trust: extra?.trust ?? loaded.trust, now });
  const view: CheckView = { outcome: r.result, kind, ...(r.issuer ? { issuer: r.issuer } : {}), ...(r.claims ? { claims: r.claims } : {}) };
  if (r.genuine !== undefined) {
    // Genuine only with its revocation checked: a list missing or failing its check is never a genuine card.
    view.genuine = r.genuine && r.statusListAge !== undefined && !extra?.unchecked && !loaded.unchecked.has(r.issuer!.id);
    view.cardStatus = r.cardStatus!;
  }
  // Valid by signature and dates, but revocation was not checked: not green.
  if (r.result === 'valid' && (r.statusListAge === undefined || loaded.unchecked.has(r.issuer!.id))) view.outcome = 'unchecked';
  return view;
}
