/**
 * At the counter: a partner's offers for the card in hand (the hook that
 * POST /v1/verify calls), redemptions, and the counts that are all the city
 * learns of them. See redemption-pseudonym.ts for what a redemption stores,
 * and docs/privacy.md "Benefits" for the threat model.
 */
import { verifyCredential, type CardClaims } from '../../credential/index.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import { LANGUAGES, negotiateLanguage, type Language } from '../../i18n/languages.js';
import { nodeBrotli } from '../verification/node-brotli.js';
import type { TrustService } from '../verification/trust-service.js';
import type { VerificationCounter } from '../verification/verification-counter.js';
import type { BenefitsRepository, OfferRow } from './benefits-repository.js';
import type { Limit } from './benefits-schemas.js';
import type { CounterOffer, Eligibility, PartnerCaller } from './counter-hook.js';
import { availableAgain, eligibility, localDate, periodOf } from './offer-rules.js';
import { redemptionPseudonym } from './redemption-pseudonym.js';

/** Counts below this are shown as "fewer than 10" (no month of one offer can point at one person). */
export const SMALL_COUNT = 10;

/** The text in `lang`, else the city's language, else English, else any. */
export function pick(text: Record<string, string>, lang: string, cityLang: string): string {
  return text[lang] ?? text[cityLang] ?? text.en ?? Object.values(text)[0] ?? '';
}

export interface RedemptionDeps {
  db: Db;
  repo: BenefitsRepository;
  trust: Pick<TrustService, 'store'>;
  counter: Pick<VerificationCounter, 'count'>;
  clock: () => Date;
  timeZone: string;
  cityId: string;
  officialLanguage: string;
}

export function createRedemptionService(deps: RedemptionDeps) {
  const { db, repo, clock } = deps;
  const cityLang = deps.officialLanguage;
  const langOf = (caller: PartnerCaller): Language => negotiateLanguage(caller.acceptLanguage, (LANGUAGES as readonly string[]).includes(cityLang) ? (cityLang as Language) : 'en');

  const subject = (caller: PartnerCaller, offer: OfferRow, period: string, claims: CardClaims, issuerId: string) => ({
    partnerId: caller.partnerId,
    offerId: offer.id,
    period,
    issuerId,
    cardNumber: claims.number,
  });

  return {
    /** The hook of POST /v1/verify: this partner's offers that its counter can give today, for this valid card. */
    async atCounter(caller: PartnerCaller, claims: CardClaims, issuerId: string): Promise<CounterOffer[]> {
      const today = localDate(clock(), deps.timeZone);
      const lang = langOf(caller);
      const offers = await repo.counterOffers(db, caller.partnerId, today);
      return Promise.all(
        offers.map(async (o) => {
          const limit = o.limitPer as Limit;
          const eligible = eligibility(o, { birthDate: claims.birthDate, ownCity: issuerId === deps.cityId }, today);
          const period = periodOf(limit, today);
          let redeemable = eligible !== false;
          let again: string | null | undefined;
          if (redeemable && period !== null) {
            // A limited offer needs the partner's own key to know (staff accounts have none: docs in README).
            if (!caller.redemptionKey) redeemable = false;
            else if (await repo.redeemed(db, o.id, period, redemptionPseudonym(caller.redemptionKey, subject(caller, o, period, claims, issuerId)))) {
              redeemable = false;
              again = availableAgain(limit, today);
            }
          }
          return { id: o.id, title: pick(o.title, lang, cityLang), kind: o.kind, limit: { per: limit }, eligible, redeemable, ...(again !== undefined ? { availableAgain: again } : {}) };
        }),
      );
    },

    /**
     * Records one redemption of an offer by the card whose QR text is given.
     * @throws offer-not-found, offer-not-yours (another partner's offer), offer-not-available (retired, outside its dates),
     *   redemption-card-invalid (422, with `result`), offer-not-eligible, redemption-needs-service-key,
     *   offer-already-redeemed (409, with `availableAgain`).
     */
    async redeem(caller: PartnerCaller | undefined, offerId: string, qr: string): Promise<{ offerId: string; period: string | null; availableAgain: string | null; eligible: Eligibility }> {
      const offer = await repo.offerById(db, offerId);
      if (!offer) throw new AppError('offer-not-found');
      if (!caller || caller.partnerId !== offer.partnerId) throw new AppError('offer-not-yours');
      const now = clock();
      const today = localDate(now, deps.timeZone);
      if (offer.retiredAt || (offer.validFrom !== null && today < offer.validFrom) || (offer.validUntil !== null && today > offer.validUntil)) throw new AppError('offer-not-available');
      const r = await verifyCredential(qr, { trust: await deps.trust.store(), now, brotli: nodeBrotli });
      deps.counter.count(r.issuer?.id ?? 'unknown', r.result);
      if (r.result !== 'valid' || !r.claims || !r.issuer) throw new AppError('redemption-card-invalid', { extra: { result: r.result } });
      const eligible = eligibility(offer, { birthDate: r.claims.birthDate, ownCity: r.issuer.id === deps.cityId }, today);
      if (eligible === false) throw new AppError('offer-not-eligible');
      const limit = offer.limitPer as Limit;
      const period = periodOf(limit, today);
      const month = today.slice(0, 7);
      if (period === null) {
        await repo.countRedemption(db, offer.id, month);
        return { offerId: offer.id, period: null, availableAgain: null, eligible };
      }
      if (!caller.redemptionKey) throw new AppError('redemption-needs-service-key');
      const pseudonym = redemptionPseudonym(caller.redemptionKey, subject(caller, offer, period, r.claims, r.issuer.id));
      const again = availableAgain(limit, today);
      const won = await db.transaction(async (tx) => {
        if (!(await repo.recordRedemption(tx, offer.id, period, pseudonym))) return false;
        await repo.countRedemption(tx, offer.id, month);
        return true;
      });
      if (!won) throw new AppError('offer-already-redeemed', { extra: { availableAgain: again }, detail: again ? `Available again on ${again}.` : 'This offer can be redeemed once only.' });
      // Last period's pseudonyms limit nothing any more: keep only the current period's (outside the race above).
      if (limit !== 'once') await repo.forgetPastPeriods(db, offer.id, period);
      return { offerId: offer.id, period, availableAgain: again, eligible };
    },

    /**
     * Redemptions per offer and month, every count under 10 given as
     * "fewer than 10". A partner sees its own offers; the city all.
     */
    async counts(f: { partnerId?: string; from?: string; to?: string }) {
      const to = f.to ?? '9999-12';
      const from = f.from ?? '0000-01';
      const rows = await repo.counts(db, { partnerId: f.partnerId, from, to });
      const byOffer = new Map<string, { offerId: string; partnerId: string; title: Record<string, string>; months: Array<{ month: string; count: number | null; fewerThan?: number }> }>();
      for (const r of rows) {
        const entry = byOffer.get(r.offerId) ?? { offerId: r.offerId, partnerId: r.partnerId, title: r.title, months: [] };
        entry.months.push(r.count < SMALL_COUNT ? { month: r.month, count: null, fewerThan: SMALL_COUNT } : { month: r.month, count: r.count });
        byOffer.set(r.offerId, entry);
      }
      return { items: [...byOffer.values()] };
    },
  };
}

export type RedemptionService = ReturnType<typeof createRedemptionService>;
