/** An offer as `GET /v1/offers` answers it (src/modules/benefits/benefits-schemas.ts, OfferView), for the pages that show one. */
export interface OfferView {
  id: string;
  partnerId: string;
  partner: { name: string; category: string };
  title: Record<string, string>;
  description: Record<string, string>;
  kind: string;
  limit: { per: string };
  ageMin: number | null;
  ageMax: number | null;
  validFrom: string | null;
  validUntil: string | null;
  partnerCityHolders: boolean;
}
