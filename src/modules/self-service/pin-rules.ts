/**
 * PINs and passphrases too easy to guess, refused when a resident chooses
 * one (NIST SP 800-63B §5.1.1.2: refuse repetitive or sequential values and
 * commonly used ones). Five guesses per lock period are a real limit only if
 * the PIN is not among the first guesses anyone would try.
 */

/**
 * The most common 6-digit PINs of leaked PIN and password sets (after the
 * repeated, sequential and short-cycle ones, which the rules below catch
 * whatever their length): keyboard and keypad patterns, mirrored halves.
 */
const COMMON_PINS = new Set([
  '112233', '123321', '654456', '159753', '753951', '147258', '258369', '369258', '852147', '789456', '456789',
  '741852', '963852', '147852', '258456', '142536', '102030', '520520', '696969', '110011', '001100', '778899',
  '998877', '111222', '121314', '131415', '101010', '010101', '202020', '212121', '232323', '121121', '987456',
  '102938', '147369', '159357', '357159', '963741', '246810', '135790', '198019', '199119', '200020', '100100',
]);

/** Passphrases of 8+ characters that lead every guessing list. */
const COMMON_PASSPHRASES = new Set([
  'password', 'passw0rd', 'password1', 'passphrase', 'qwertyui', 'qwertyuiop', 'azertyui', 'azertyuiop', 'iloveyou',
  'abcdefgh', 'abcd1234', '1234abcd', 'sunshine', 'princess', 'football', 'baseball', 'welcome1', 'letmein1',
  'motdepasse', 'contrasena', 'contraseña', 'senha123', 'qwerty123', '1q2w3e4r', '1qaz2wsx', 'zaq12wsx',
]);

/** Each digit one more (or one less) than the one before, 9 → 0 wrapping: 123456, 987654, 890123. */
function isSequential(digits: string): boolean {
  for (const step of [1, 9]) {
    let ok = true;
    for (let i = 1; i < digits.length && ok; i++) ok = (Number(digits[i - 1]) + step) % 10 === Number(digits[i]);
    if (ok) return true;
  }
  return false;
}

/** The whole value is one block of 1 to 3 characters repeated: 111111, 121212, 123123, abcabcab. */
function isShortCycle(value: string): boolean {
  for (let period = 1; period <= 3 && period < value.length; period++) {
    let ok = true;
    for (let i = period; i < value.length && ok; i++) ok = value[i] === value[i - period];
    if (ok) return true;
  }
  return false;
}

/**
 * Why a PIN or passphrase is refused, or undefined if it may be used.
 * @example trivialPinReason('123456') // 'sequential'
 */
export function trivialPinReason(pin: string): 'repeated' | 'sequential' | 'common' | undefined {
  const value = pin.normalize('NFKC');
  if (isShortCycle(value.toLowerCase())) return 'repeated';
  if (/^\d+$/.test(value)) {
    if (isSequential(value)) return 'sequential';
    if (COMMON_PINS.has(value)) return 'common';
    return undefined;
  }
  return COMMON_PASSPHRASES.has(value.toLowerCase()) ? 'common' : undefined;
}
