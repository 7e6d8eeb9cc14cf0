/**
 * The small seam between verification and benefits: when a partner
 * organisation's principal checks a valid card, `POST /v1/verify` adds that
 * partner's offers with `eligible` and `redeemable` for this holder. The
 * verification code only calls the hook; everything else lives here.
 */
import { createHmac } from 'node:crypto';
import { Type } from 'typebox';
import type { CardClaims } from '../../credential/index.js';

/** Domain label of the partner's redemption key (redemption-pseudonym.ts). */
export const REDEMPTION_KEY_LABEL = 'lcc/redemption/v1';

/** A partner organisation's principal at the counter. */
export interface PartnerCaller {
  partnerId: string;
  /**
   * HMAC(service-key secret, "lcc/redemption/v1"): only a service key brings
   * it; the city stores the secret as a hash only, so it cannot make this
   * key itself. Absent for a partner's staff account.
   */
  redemptionKey?: Buffer;
  /** The caller's Accept-Language: the titles come in the best of the five languages, else the city's. */
  acceptLanguage?: string;
}

/**
 * - `true` / `false`: the holder is or is not eligible;
 * - `"check-by-hand"`: the offer has an age rule and the card prints only a
 *   year, a year and month, or no birth date that settles it: the counter
 *   checks by hand (a partial date never excludes a holder on its own).
 */
export type Eligibility = boolean | 'check-by-hand';

export interface CounterOffer {
  id: string;
  title: string;
  kind: string;
  limit: { per: string };
  eligible: Eligibility;
  /** Can be redeemed now: eligible (or to check by hand), and not yet redeemed in this period by this card at this partner. */
  redeemable: boolean;
  /** When it was already redeemed in this period: the first day (YYYY-MM-DD) it is available again; null for a once-only offer. */
  availableAgain?: string | null;
}

export const CounterOfferSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  kind: Type.String(),
  limit: Type.Object({ per: Type.String() }),
  eligible: Type.Union([Type.Boolean(), Type.Literal('check-by-hand')]),
  redeemable: Type.Boolean(),
  availableAgain: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

/** What verification calls for a valid card checked by a partner principal. */
export type CounterHook = (caller: PartnerCaller, claims: CardClaims, issuerId: string) => Promise<CounterOffer[]>;

/** The redemption key a presented service-key secret gives. */
export function redemptionKeyOf(serviceKeySecret: string): Buffer {
  return createHmac('sha256', serviceKeySecret).update(REDEMPTION_KEY_LABEL).digest();
}

/**
 * The partner caller of an authenticated request, if its principal belongs
 * to a partner organisation (the auth plugin sets `actor.partnerId`).
 * @example partnerCallerOf(req) // { partnerId: '…', redemptionKey: <Buffer …> } for a partner's service key
 */
export function partnerCallerOf(req: { actor: { type: string; partnerId?: string } | null; headers: { authorization?: string; 'accept-language'?: string } }): PartnerCaller | undefined {
  const actor = req.actor;
  if (!actor?.partnerId) return undefined;
  const bearer = /^Bearer\s+(lcc_sk_\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return {
    partnerId: actor.partnerId,
    ...(actor.type === 'service_key' && bearer ? { redemptionKey: redemptionKeyOf(bearer) } : {}),
    ...(req.headers['accept-language'] ? { acceptLanguage: req.headers['accept-language'] } : {}),
  };
}
