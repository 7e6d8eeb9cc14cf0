/**
 * Key helpers: generate an Ed25519 signing key, name it by its RFC 7638
 * thumbprint, export its public half. DESIGN.md "Keys and federation".
 */
import { type CryptoKey, type JWK, type KeyObject, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

/** Algorithms a verifier accepts (DESIGN.md "Credential"): nothing else, ever. */
export type SignatureAlg = 'EdDSA' | 'ES256';

/** What signs a credential. `kid` is the key's RFC 7638 thumbprint (or a prefix of ≥ 8 characters). */
export interface Signer {
  kid: string;
  privateKey: CryptoKey | KeyObject;
  alg: SignatureAlg;
  /**
   * Optional raw signing of the JWS signing input (RFC 7515 §5.1) with
   * `privateKey`, for a native fast path (a server issuing cards in bulk);
   * jose's CompactSign is used when absent. Same bytes either way: Ed25519
   * signatures are deterministic.
   */
  signBytes?: (data: Uint8Array) => Uint8Array | Promise<Uint8Array>;
}

export interface SigningKey extends Signer {
  alg: 'EdDSA';
  /** Full RFC 7638 SHA-256 thumbprint of the public key. */
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** Shortest kid prefix a credential may carry (DESIGN.md "Credential"). */
export const MIN_KID_LENGTH = 8;

/**
 * The RFC 7638 SHA-256 thumbprint of a JWK (only its required members count).
 * @example await thumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })
 */
export function thumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/**
 * The public members of a key as a JWK (kty, crv, x[, y]) — never `d`, even
 * when given a private key.
 * @example await exportPublicJwk(key.publicKey) // { kty: 'OKP', crv: 'Ed25519', x: '…' }
 */
export async function exportPublicJwk(key: CryptoKey | KeyObject): Promise<JWK> {
  const jwk = await exportJWK(key);
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x) return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.x && jwk.y) return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  throw new TypeError(`unsupported key type ${jwk.kty}/${jwk.crv}`);
}

/**
 * A new Ed25519 signing key with an extractable private key (so the caller
 * can store it encrypted), named by its full thumbprint.
 * @example const key = await generateSigningKey(); await signCard(claims, key)
 */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportPublicJwk(publicKey);
  return { alg: 'EdDSA', kid: await thumbprint(publicJwk), privateKey, publicKey, publicJwk };
}
