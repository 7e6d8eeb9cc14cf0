/**
 * Every key the service uses is derived from MASTER_KEY with HKDF-SHA256
 * (RFC 5869), one `info` label per purpose, so no two purposes share a key.
 */
import { createHash, hkdfSync } from 'node:crypto';

export type KeyPurpose =
  | 'field-encryption'
  | 'blind-index'
  | 'staff-jwt'
  | 'private-key-wrap'
  | 'throttle-index'
  | 'pin-pepper'
  // Welcoming Week: per-event RSVP pseudonyms and ticket QR MACs (src/modules/events).
  | 'event-pseudonym'
  | 'event-ticket'
  // Enrolment appointments: the HMAC key of booking PINs (src/modules/appointments).
  | 'appointment-pin';

export function deriveKey(master: Buffer, purpose: KeyPurpose, version = 1): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'lcc/hkdf-salt/v1', `${purpose}/v${version}`, 32));
}

/** A short, non-secret id for a master key (first 4 bytes of a hash of a derived key). */
export function masterKeyId(master: Buffer): string {
  return createHash('sha256').update(deriveKey(master, 'field-encryption')).digest('hex').slice(0, 8);
}
