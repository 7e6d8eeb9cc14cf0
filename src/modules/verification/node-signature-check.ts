/**
 * The server's signature check: node:crypto.verify on a KeyObject made once
 * per key, synchronous and about twice as fast as WebCrypto (NOTES.md). The
 * browser verifier uses the WebCrypto default; both check the same bytes.
 */
import { KeyObject, verify } from 'node:crypto';
import type { SignatureCheck } from '../../credential/index.js';

const objects = new WeakMap<object, KeyObject>();

export const nodeSignatureCheck: SignatureCheck = (k, data, signature) => {
  let key = objects.get(k.key);
  if (!key) {
    key = KeyObject.from(k.key);
    objects.set(k.key, key);
  }
  return k.alg === 'EdDSA' ? verify(null, data, key, signature) : verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
};
