/**
 * Checking a card or a resident proof for an official or a partner service.
 * Nothing about the holder is stored or logged: only a count per ISO week,
 * issuer and valid / not valid (verification-counter.ts).
 */
import { credentialKind, formatCardNumber, isValidCardNumber, verifyCredential, verifyResidentProof } from '../../credential/index.js';
import { nodeBrotli } from './node-brotli.js';
import type { CardsService } from '../cards/cards-service.js';
import type { TrustService } from './trust-service.js';
import type { VerificationCounter } from './verification-counter.js';
import { seesPhoto, type Viewer } from './profiles.js';
import type { CounterHook, CounterOffer, PartnerCaller } from '../benefits/counter-hook.js';

export interface VerifyAnswer {
  result: string;
  kind: 'card' | 'resident_proof';
  profile: Viewer;
  issuer?: { id: string; name: string; country: string };
  card?: {
    number: string;
    name: string;
    birthDate: string | null;
    marker?: string;
    issuedOn: string;
    expiresOn: string;
    photo?: string;
  };
  validUntil?: string;
  checkedAt: string;
  statusListAge?: number;
  /** foreign_issuer only: a genuine card of that city, in force there (src/credential/verify.ts). */
  genuine?: boolean;
  /** foreign_issuer only: what the card reads in its own country. */
  cardStatus?: string;
  /** A partner organisation's offers for this holder (src/modules/benefits). */
  offers?: CounterOffer[];
}

export function createVerificationService(deps: {
  trust: TrustService;
  counter: VerificationCounter;
  cards: Pick<CardsService, 'photoForCard'>;
  cityId: string;
  clock: () => Date;
  /** Benefits: a partner principal's offers for a valid card. */
  offers?: CounterHook;
}) {
  const { trust, counter, clock } = deps;
  return {
    async verify(qr: string, viewer: Viewer, partner?: PartnerCaller): Promise<VerifyAnswer> {
      const now = clock();
      const store = await trust.store();
      // Both are Claim 169 envelopes: a proof is the one with a nonce and no claim 169. Cards are
      // most checks, so the text is read as a card first, and only a text that did not read as one
      // (malformed, or an envelope it could not check) is read again to tell a proof from garbage:
      // a card's text is decoded once.
      const r = await verifyCredential(qr, { trust: store, now, brotli: nodeBrotli });
      if ((r.result === 'malformed' || r.result === 'invalid_signature') && credentialKind(qr, nodeBrotli) === 'resident_proof') {
        const p = await verifyResidentProof(qr, { trust: store, now, brotli: nodeBrotli });
        counter.count(p.issuer?.id ?? 'unknown', `proof_${p.result}`);
        return {
          result: p.result,
          kind: 'resident_proof',
          profile: viewer,
          ...(p.issuer ? { issuer: p.issuer } : {}),
          ...(p.validUntil ? { validUntil: p.validUntil } : {}),
          checkedAt: now.toISOString(),
        };
      }
      counter.count(r.issuer?.id ?? 'unknown', r.result);
      const answer: VerifyAnswer = {
        result: r.result,
        kind: 'card',
        profile: viewer,
        ...(r.issuer ? { issuer: r.issuer } : {}),
        checkedAt: now.toISOString(),
        ...(r.statusListAge !== undefined ? { statusListAge: r.statusListAge } : {}),
        ...(r.genuine !== undefined ? { genuine: r.genuine, cardStatus: r.cardStatus! } : {}),
      };
      if (r.claims && viewer !== 'residency_only') {
        const c = r.claims;
        const photo = seesPhoto(viewer) && r.issuer?.id === deps.cityId ? await deps.cards.photoForCard(c.number).catch(() => undefined) : undefined;
        answer.card = {
          // Another ecosystem's id is shown as it is; ours in its printed form.
          number: isValidCardNumber(c.number) ? formatCardNumber(c.number) : c.number,
          name: c.name,
          birthDate: c.birthDate,
          ...(c.marker ? { marker: c.marker } : {}),
          issuedOn: c.issuedOn,
          expiresOn: c.expiresOn,
          ...(photo ? { photo: `data:image/jpeg;base64,${photo.toString('base64')}` } : {}),
        };
      }
      if (partner && deps.offers && r.result === 'valid' && r.claims && r.issuer) answer.offers = await deps.offers(partner, r.claims, r.issuer.id);
      return answer;
    },
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;
