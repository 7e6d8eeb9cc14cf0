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
 *
 * A name must also print whole on the card's front (and on the A4 sheet,
 * which draws the same front): at most two lines of the name box, at 7 pt or
 * larger (src/pdf/name-layout.ts sets it with the card's own fonts). Which
 * limit binds depends on the script: about 40 wide Latin capitals (W, M) or
 * 70 ordinary Latin letters, 80 Arabic letters, 42 Chinese or Japanese
 * characters by the print; 66 Devanagari letters by the QR code.
 */
import { AppError, type FieldError } from '../../errors/app-error.js';
import type { NamesLayout } from '../../pdf/name-layout.js';
import { NAME_BOX, PRINTED_NAME } from '../../pdf/name-rules.js';

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

/** The print limits of a name (name-layout.ts), as the problem body states them. */
export const CARD_NAME_PRINT = { maxLines: PRINTED_NAME.maxLines, minFontSizePt: PRINTED_NAME.minSize, lineWidthMm: Math.round((NAME_BOX.width * 25.4) / 72 * 10) / 10 } as const;

/** What lays a name out as the card prints it (the card renderer). */
export interface CardNameLayout {
  layoutNames(names: { printed: string; original?: string }): Promise<Pick<NamesLayout, 'fits' | 'report'>>;
}

/**
 * One field error per printed name that the card cannot set whole within
 * its lines and floor (measured with the card's fonts); `at` is the path of
 * the `names` object.
 */
export async function cardPrintErrors(layout: CardNameLayout, names: { printed: string; original?: string }, at: string): Promise<FieldError[]> {
  const result = await layout.layoutNames(names);
  if (result.fits) return [];
  return result.report
    .filter((r) => !r.fits)
    .map((r) => ({
      path: `${at}/${r.field}`,
      message:
        r.neededSize < CARD_NAME_PRINT.minFontSizePt
          ? `does not print whole on the card: on ${CARD_NAME_PRINT.maxLines} lines of ${CARD_NAME_PRINT.lineWidthMm} mm it would need ${r.neededSize} pt, below the ${CARD_NAME_PRINT.minFontSizePt} pt floor`
          : `does not print whole on the card together with the other name at ${CARD_NAME_PRINT.minFontSizePt} pt or larger`,
    }));
}

/** 422 `name-too-long-for-card`: both limits in the detail and as members (`maxBytes`, `maxLines`, `minFontSizePt`, `lineWidthMm`), each name's fault in `errors`. */
export function nameTooLongForCard(errors: FieldError[]): AppError {
  const sizes = errors.map((e) => `${e.path.split('/').slice(-2).join('.')} ${e.message.split(';')[0]}`).join(', ');
  return new AppError('name-too-long-for-card', {
    detail:
      `A card prints a name whole on at most ${CARD_NAME_PRINT.maxLines} lines of ${CARD_NAME_PRINT.lineWidthMm} mm at ${CARD_NAME_PRINT.minFontSizePt} pt or larger, ` +
      `and holds at most ${CARD_NAME_MAX_BYTES} bytes of it in UTF-8 (1 byte a Latin letter, 2 Arabic or Cyrillic, 3 Devanagari or CJK): ${sizes}.`,
    errors,
    extra: { maxBytes: CARD_NAME_MAX_BYTES, ...CARD_NAME_PRINT },
  });
}
