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
import { AppError, type FieldError } from '../../errors/app-error.js';

/**
 * The QR budget of one printed name, in UTF-8 bytes: the credential refuses
 * any text claim longer than this (src/credential/, the card's Claim 169
 * CWT). Kept equal to it so that a card with the printed name and the
 * original-script name both at the limit, plus the signature and the status
 * reference, still fits a QR code the card prints at error correction M.
 * Measured with the Claim 169 credential: a printed name at the limit makes
 * 695 Base45 characters, a version-13 QR (69 modules), about 0.66 mm a
 * module on the card's back (51 mm side) — well within what phone cameras
 * read; a version-40 QR (4,296 characters) is the hard ceiling.
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

/** One field error per printed name over the budget; `at` is the path of the `names` object (`/body/names`). */
export function cardNameErrors(names: Partial<Record<(typeof PRINTED_NAME_FIELDS)[number], string>>, at: string): FieldError[] {
  return PRINTED_NAME_FIELDS.flatMap((field) => {
    const name = names[field];
    const problem = name === undefined ? undefined : cardNameProblem(name);
    return problem ? [{ path: `${at}/${field}`, message: problem }] : [];
  });
}

/** 422 `name-too-long-for-card`: the limit in the detail and in `maxBytes`, each name's size in `errors`. */
export function nameTooLongForCard(errors: FieldError[]): AppError {
  const sizes = errors.map((e) => `${e.path.split('/').slice(-2).join('.')} ${e.message.split(';')[0]}`).join(', ');
  return new AppError('name-too-long-for-card', {
    detail: `A card holds a name of at most ${CARD_NAME_MAX_BYTES} bytes in UTF-8 (1 byte a Latin letter, 2 Arabic or Cyrillic, 3 Devanagari or CJK): ${sizes}.`,
    errors,
    extra: { maxBytes: CARD_NAME_MAX_BYTES },
  });
}
