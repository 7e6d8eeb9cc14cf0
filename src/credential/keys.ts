/**
 * Key helpers: generate an Ed25519 signing key, name it by its RFC 7638
 * thumbprint, export its public half. DESIGN.md "Keys and federation".
 */
import { b64uDecode } from './base64url.js';
import { type CryptoKey, type JWK, type KeyObject, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

/** Algorithms a verifier accepts (DESIGN.md "Credential"): nothing else, ever. */
export type SignatureAlg = 'EdDSA' | 'ES256';

/** What signs a credential. `kid` is the key's full RFC 7638 thumbprint (base64url). */
export interface Signer {
  kid: string;
  privateKey: CryptoKey | KeyObject;
  alg: SignatureAlg;
  /**
   * Raw signing of the bytes to be signed (a COSE Sig_structure, or a JWS
   * signing input) with `privateKey`: the server passes `node:crypto.sign`
   * (a Node KeyObject cannot go through WebCrypto). When absent, a WebCrypto
   * CryptoKey is used through `crypto.subtle.sign`. Same bytes either way:
   * Ed25519 signatures are deterministic.
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

/**
 * Bytes of the RFC 7638 thumbprint a credential's COSE `kid` carries: the
 * first 4 of its 32 (DESIGN.md "Credential (v2)"; 4 bytes keep the reference
 * card at QR version 11, and the kid only picks among one issuer's few keys —
 * the signature is what is checked). A verifier base64url-decodes
 * each trusted key's JWKS `kid` (the full thumbprint) and tries the keys whose
 * bytes start with the credential's kid.
 */
export const COSE_KID_BYTES = 4;

/**
 * The RFC 7638 SHA-256 thumbprint of a JWK (only its required members count).
 * @example await thumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })
 */
export function thumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/**
 * The COSE `kid` for a key: the first `length` bytes of its RFC 7638
 * thumbprint (the JWKS `kid`, base64url-decoded).
 * @example coseKid(key.kid) // 8 bytes
 */
export function coseKid(fullThumbprint: string, length = COSE_KID_BYTES): Uint8Array {
  if (!/^[A-Za-z0-9_-]{43}$/.test(fullThumbprint)) throw new RangeError('kid must be a full RFC 7638 thumbprint');
  if (!Number.isInteger(length) || length < COSE_KID_BYTES || length > 32) throw new RangeError(`kid length must be ${COSE_KID_BYTES}…32 bytes`);
  return b64uDecode(fullThumbprint).slice(0, length);
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
