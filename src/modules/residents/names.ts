/**
 * Validation and normalisation of names and other free text a clerk types.
 *
 * Decisions (issue 4):
 * - NFC (UAX #15), then runs of white space (any Zs, e.g. NBSP) become one
 *   U+0020 and the ends are trimmed; at most NAME_MAX code points after that.
 * - Refused anywhere: controls (Cc, tab and newline included), line and
 *   paragraph separators (Zl, Zp), private-use (Co), lone surrogates (Cs),
 *   unassigned code points (Cn), and every format character (Cf): bidi
 *   embeddings, overrides and isolates (U+202A–202E, U+2066–2069), LRM/RLM
 *   and ALM (U+200E/F, U+061C), zero-width space (U+200B), word joiner,
 *   soft hyphen, BOM, tag characters… They are invisible: a name holding
 *   them looks like another (spoofing, duplicate evasion) or reorders the
 *   printed card (Trojan Source, CVE-2021-42574).
 * - Except ZWNJ (U+200C) and ZWJ (U+200D), which Persian, Urdu, Indic and
 *   Sinhala spelling need (Unicode §23.2): allowed only between two letters
 *   or marks, where they shape the letters; anywhere else they are refused.
 * - Names must be printable on a card: letters, marks, digits, punctuation
 *   and spaces only (no symbols, no emoji), with at least one letter. Any
 *   script; a single name (mononym) is valid.
 * - A transliteration holds Latin letters only (it is there for readers
 *   who cannot read the original script).
 */
import type { FieldError } from '../../errors/app-error.js';

export const NAME_MAX = 100;

const FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Cn}]/u;
const FORMAT = /\p{Cf}/u;
const JOINERS = new Set(['\u200C', '\u200D']);
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const NAME_CHAR = /^[\p{L}\p{M}\p{Nd}\p{P}\u0020\u200C\u200D]$/u;
const NON_LATIN_LETTER = /(?=\p{L})\P{Script=Latin}/u;

/** Collects field errors; the service throws once with all of them. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}

/** Checks invisible and control characters; returns the message, or undefined when clean. */
function invisibleProblem(chars: string[]): string | undefined {
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (FORBIDDEN.test(c)) return 'must not contain control, private-use or unassigned characters';
    if (FORMAT.test(c)) {
      if (!JOINERS.has(c)) return 'must not contain invisible formatting characters (bidi controls, zero-width characters)';
      const before = chars[i - 1];
      const after = chars[i + 1];
      if (!before || !after || !LETTER_OR_MARK.test(before) || !LETTER_OR_MARK.test(after)) {
        return 'may hold a zero-width joiner or non-joiner only between two letters';
      }
    }
  }
  return undefined;
}

/** NFC, white space collapsed, trimmed. */
export function normaliseText(value: string): string {
  return value.normalize('NFC').replace(/\p{Zs}+/gu, ' ').trim();
}

/**
 * Validates free text (self-described gender, pronouns, address lines):
 * same invisible-character rules as names, any printable character.
 * Returns the normalised text, or undefined after recording an error.
 */
export function checkText(value: string, path: string, max: number, errors: FieldErrors): string | undefined {
  const problem = invisibleProblem([...value]);
  if (problem) return void errors.add(path, problem);
  const text = normaliseText(value);
  if (text.length === 0) return void errors.add(path, 'must not be blank');
  if ([...text].length > max) return void errors.add(path, `must be at most ${max} characters`);
  return text;
}

/** Validates and normalises one name; returns it, or undefined after recording an error. */
export function checkName(value: string, path: string, errors: FieldErrors, opts: { latinOnly?: boolean } = {}): string | undefined {
  const text = checkText(value, path, NAME_MAX, errors);
  if (text === undefined) return undefined;
  const chars = [...text];
  if (!chars.every((c) => NAME_CHAR.test(c))) return void errors.add(path, 'may hold letters, marks, digits, punctuation and spaces only');
  if (!chars.some((c) => /\p{L}/u.test(c))) return void errors.add(path, 'must contain at least one letter');
  if (opts.latinOnly && NON_LATIN_LETTER.test(text)) return void errors.add(path, 'must be written in Latin letters');
  return text;
}
