/**
 * AES-256-GCM for personal fields at rest (DESIGN.md "The resident record").
 * Layout: version(1) ‖ keyId(4) ‖ iv(12) ‖ tag(16) ‖ ciphertext. The key id
 * names the master key, so MASTER_KEY can rotate: old rows decrypt with a key
 * from MASTER_KEY_PREVIOUS until re-encrypted. The AAD binds a value to its
 * table, column and row, so ciphertexts cannot be swapped between records.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKey, masterKeyId } from './derive.js';

const VERSION = 1;

export interface FieldCipher {
  /** Id of the key new values are encrypted with. */
  readonly keyId: string;
  encrypt(plaintext: string | Uint8Array, aad: string): Buffer;
  decrypt(blob: Uint8Array, aad: string): Buffer;
  decryptText(blob: Uint8Array, aad: string): string;
  /** Whether a value was written with an older key and should be re-encrypted. */
  isStale(blob: Uint8Array): boolean;
}

export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
}

export function createFieldCipher(master: Buffer, previous: Buffer[] = []): FieldCipher {
  const keys = new Map<string, Buffer>();
  for (const m of [master, ...previous]) keys.set(masterKeyId(m), deriveKey(m, 'field-encryption'));
  const keyId = masterKeyId(master);
  const current = keys.get(keyId)!;

  const decrypt = (blob: Uint8Array, aad: string): Buffer => {
    const b = Buffer.from(blob);
    if (b.length < 33 || b[0] !== VERSION) throw new DecryptionError('not a field ciphertext');
    const key = keys.get(b.subarray(1, 5).toString('hex'));
    if (!key) throw new DecryptionError('encrypted with an unknown master key');
    const decipher = createDecipheriv('aes-256-gcm', key, b.subarray(5, 17));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(b.subarray(17, 33));
    try {
      return Buffer.concat([decipher.update(b.subarray(33)), decipher.final()]);
    } catch {
      throw new DecryptionError('ciphertext failed authentication');
    }
  };

  return {
    keyId,
    encrypt(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      const ct = Buffer.concat([cipher.update(data), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), Buffer.from(keyId, 'hex'), iv, cipher.getAuthTag(), ct]);
    },
    decrypt,
    decryptText: (blob, aad) => decrypt(blob, aad).toString('utf8'),
    isStale: (blob) => Buffer.from(blob).subarray(1, 5).toString('hex') !== keyId,
  };
}
