/**
 * QR text: `LCC1:` followed by the compact JWS in numeric form, each character
 * written as two digits of (char code − 45), as SMART Health Cards do, so the
 * payload is encoded in QR numeric mode (3.33 bits per digit, ~6.67 per JWS
 * character, against 8 in byte mode). Fixed by DESIGN.md "Credential".
 */
import { CredentialError } from './errors.js';

export const QR_PREFIX = 'LCC1:';

/** A JWS character's code must lie in '-' (45) … 'z' (122): base64url plus '.'. */
const MIN_CODE = 45;
const MAX_CODE = 122;

/** Longest QR text accepted before any parsing: a version-40 QR holds 7,089 digits. */
export const MAX_QR_TEXT_LENGTH = 7100;

/**
 * Encodes a compact JWS as QR text.
 * @example toQrText('eyJh.eyJp.c2ln') // 'LCC1:5676…'
 */
export function toQrText(jws: string): string {
  let digits = '';
  for (let i = 0; i < jws.length; i++) {
    const code = jws.charCodeAt(i);
    if (code < MIN_CODE || code > MAX_CODE) {
      throw new CredentialError('malformed', 'JWS holds a character outside base64url');
    }
    const v = code - MIN_CODE;
    digits += v < 10 ? `0${v}` : String(v);
  }
  return QR_PREFIX + digits;
}

/**
 * Decodes QR text back to the compact JWS. Accepts the text with or without a
 * leading `#` (the verifier page may receive it in its URL fragment).
 * @throws CredentialError `malformed` on anything that is not LCC1 numeric text.
 */
export function fromQrText(text: string): string {
  if (typeof text !== 'string' || text.length > MAX_QR_TEXT_LENGTH) {
    throw new CredentialError('malformed', 'QR text missing or too long');
  }
  const t = text.startsWith('#') ? text.slice(1) : text;
  if (t.slice(0, QR_PREFIX.length).toUpperCase() !== QR_PREFIX) {
    throw new CredentialError('malformed', 'QR text does not start with LCC1:');
  }
  const digits = t.slice(QR_PREFIX.length);
  const n = digits.length;
  if (n === 0 || n % 2 !== 0) throw new CredentialError('malformed', 'QR text is not an even run of digits');
  const codes = new Array<number>(n / 2);
  for (let i = 0; i < n; i += 2) {
    const hi = digits.charCodeAt(i) - 48;
    const lo = digits.charCodeAt(i + 1) - 48;
    if (hi < 0 || hi > 9 || lo < 0 || lo > 9) throw new CredentialError('malformed', 'QR text is not an even run of digits');
    const v = hi * 10 + lo;
    if (v > MAX_CODE - MIN_CODE) throw new CredentialError('malformed', 'QR digit pair out of range');
    codes[i / 2] = v + MIN_CODE;
  }
  // At most MAX_QR_TEXT_LENGTH / 2 arguments: well within what fromCharCode takes.
  return String.fromCharCode(...codes);
}

/**
 * The segments to hand to `qrcode` so the prefix goes in byte mode and the
 * digits really use numeric mode (qrcode's automatic mode would otherwise
 * pick byte mode for the whole text).
 * @example QRCode.create(qrSegments(text), { errorCorrectionLevel: 'M' })
 */
export function qrSegments(text: string): Array<{ data: string; mode: 'byte' | 'numeric' }> {
  if (!text.startsWith(QR_PREFIX)) return [{ data: text, mode: 'byte' }];
  return [
    { data: QR_PREFIX, mode: 'byte' },
    { data: text.slice(QR_PREFIX.length), mode: 'numeric' },
  ];
}
