/** A resident record as the API returns it (GET /v1/residents/:id, GET /v1/self/data). */
export interface ResidentRecord {
  names: { printed: string; legal?: string; original?: string; transliteration?: string };
  birthDate: string | null;
  gender: { selfDescribed?: string; pronouns?: string; marker?: string; printMarker: boolean };
  address: { line1: string; line2?: string; postalCode?: string; locality: string } | { noFixedAddress: boolean; careOf?: string } | null;
  addressConfidential: boolean;
  preferredLanguage: string;
  languages: string[];
  guardianPresent: boolean;
  evidence: { rulesVersion: string; items: Array<{ type: string; seenAt: string }> };
  hasPhoto: boolean;
}
