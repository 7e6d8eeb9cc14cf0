/**
 * The only trace a redemption of a limited offer leaves about its holder.
 *
 *   K_partner = HMAC-SHA-256(service-key secret, "lcc/redemption/v1")  (counter-hook.ts)
 *   pseudonym = HMAC-SHA-256(K_partner, JSON [partnerId, offerId, period, issuer id, card number])
 *
 * The secret reaches the city only inside the partner's requests; the city
 * stores its SHA-256 (service_keys.secret_hash), which is not K_partner's
 * input. So the city's database and MASTER_KEY together cannot recompute a
 * pseudonym from a card number, nor match one partner's rows with another's
 * (different keys, different inputs), nor one period's with the next
 * (the period is inside the MAC). The JSON array keeps fields apart
 * unambiguously.
 */
import { createHmac } from 'node:crypto';

export interface RedemptionSubject {
  partnerId: string;
  offerId: string;
  period: string;
  issuerId: string;
  cardNumber: string;
}

/** @example redemptionPseudonym(redemptionKeyOf(secret), { partnerId, offerId, period: '2027', issuerId: 'fr-testville', cardNumber: '1234567890' }) // 32 bytes */
export function redemptionPseudonym(redemptionKey: Buffer, s: RedemptionSubject): Buffer {
  return createHmac('sha256', redemptionKey).update(JSON.stringify([s.partnerId, s.offerId, s.period, s.issuerId, s.cardNumber])).digest();
}
