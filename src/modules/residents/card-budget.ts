/**
 * What a card can carry: the names it prints are also signed into its QR
 * code, and a QR code has a fixed budget. Enrolment refuses a name that
 * does not fit, so that issuing the card can never fail on it later.
 *
 * The budget is counted in UTF-8 bytes, not characters: the credential
 * stores text as UTF-8 (CBOR text strings, RFC 8949 §3.1), where a Latin
 * letter takes 1 byte, Greek, Cyrillic, Arabic or Hebrew 2, Devanagari,
 * Thai, CJK or Hangul 3. NAME_MAX (names.ts) counts characters for the
 * clerk's screen; this counts what the QR code holds.
 */

/**
 * The QR budget of one printed name, in UTF-8 bytes: the credential refuses
 * any text claim longer than this (src/credential/, the card's Claim 169
 * CWT). Kept equal to it so that a card with the printed name and the
 * original-script name both at the limit, plus the signature and the status
 * reference, still fits a QR code the card prints at error correction M.
 * test/api/residents-card-budget.test.ts issues a card at exactly this
 * limit, so a credential that shrinks its limit fails that test.
 */
export const CARD_NAME_MAX_BYTES = 200;

/** The names a card prints (and its credential signs). */
export const PRINTED_NAME_FIELDS = ['printed', 'original'] as const;

const utf8 = new TextEncoder();

/** Bytes of `text` in UTF-8 (what the credential counts). */
export function utf8Length(text: string): number {
  return utf8.encode(text).length;
}

/** Undefined when `name` fits the card; otherwise the refusal, with the limit. */
export function cardNameProblem(name: string): string | undefined {
  const bytes = utf8Length(name);
  if (bytes <= CARD_NAME_MAX_BYTES) return undefined;
  return `is ${bytes} bytes in UTF-8; a card holds at most ${CARD_NAME_MAX_BYTES} (about ${CARD_NAME_MAX_BYTES} Latin, ${Math.floor(CARD_NAME_MAX_BYTES / 2)} Arabic or Cyrillic, ${Math.floor(CARD_NAME_MAX_BYTES / 3)} Devanagari or CJK characters)`;
}
