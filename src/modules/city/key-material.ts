/**
 * Making and unwrapping the city's Ed25519 keys. Private keys never leave
 * the database unencrypted: PKCS#8 DER sealed with the field cipher, bound to
 * the key's kid.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, CompactSign, type JWK } from 'jose';
import type { FieldCipher } from '../../security/field-cipher.js';
import type { KeyRow } from './city-repository.js';

export interface NewKey {
  kid: string;
  publicJwk: Record<string, string>;
  privateKey: KeyObject;
  sealedPrivateKey: Buffer;
}

export async function generateEd25519(cipher: FieldCipher): Promise<NewKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const publicJwk = { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x! };
  const kid = await calculateJwkThumbprint(publicJwk as JWK, 'sha256');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { kid, publicJwk, privateKey, sealedPrivateKey: cipher.encrypt(der, `signing_keys:${kid}`) };
}

export function unsealPrivateKey(cipher: FieldCipher, row: Pick<KeyRow, 'kid' | 'privateKey'>): KeyObject {
  const der = cipher.decrypt(row.privateKey, `signing_keys:${row.kid}`);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/**
 * A signing key's certificate: a JWS by the root key over the signing key's
 * public JWK, the issuer id and the validity window (DESIGN.md "Keys and
 * federation"). Verifiers of other cities accept a signing key only with it.
 */
export async function certifySigningKey(args: {
  root: { kid: string; privateKey: KeyObject };
  issuer: string;
  signing: { kid: string; publicJwk: Record<string, string> };
  notBefore: Date;
  notAfter: Date;
}): Promise<string> {
  const payload = {
    iss: args.issuer,
    sub: args.signing.kid,
    jwk: { ...args.signing.publicJwk, alg: 'EdDSA', use: 'sig' },
    nbf: Math.floor(args.notBefore.getTime() / 1000),
    exp: Math.floor(args.notAfter.getTime() / 1000),
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: args.root.kid, typ: 'lcc-key-cert+jwt' })
    .sign(args.root.privateKey);
}
