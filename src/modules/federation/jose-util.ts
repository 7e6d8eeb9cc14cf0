/** Small strict readers shared by the metadata and trust-list checks (jose does the cryptography). */
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, type CryptoKey, type JWK, type ProtectedHeaderParameters } from 'jose';

export type DocAlg = 'EdDSA' | 'ES256';
export const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** RFC 7638 SHA-256 thumbprint, base64url. */
export const FINGERPRINT = /^[A-Za-z0-9_-]{43}$/;

/** The protected header and JSON payload of a compact JWS, read without verifying; undefined when unreadable. */
export function readJws(jws: unknown, maxChars: number): { header: ProtectedHeaderParameters; payload: Record<string, unknown> } | undefined {
  if (typeof jws !== 'string' || jws.length > maxChars || !JWS_SHAPE.test(jws)) return undefined;
  try {
    const header = decodeProtectedHeader(jws);
    const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as unknown;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
    return { header, payload: payload as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

export function isDocAlg(alg: unknown): alg is DocAlg {
  return alg === 'EdDSA' || alg === 'ES256';
}

/** The public members of an Ed25519 or P-256 JWK matching `alg`; undefined for anything else (private keys included). */
export function publicJwk(jwk: unknown, alg: DocAlg): Record<string, string> | undefined {
  if (typeof jwk !== 'object' || jwk === null || 'd' in jwk) return undefined;
  const k = jwk as Record<string, unknown>;
  if (alg === 'EdDSA' && k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string') return { kty: 'OKP', crv: 'Ed25519', x: k.x };
  if (alg === 'ES256' && k.kty === 'EC' && k.crv === 'P-256' && typeof k.x === 'string' && typeof k.y === 'string') return { kty: 'EC', crv: 'P-256', x: k.x, y: k.y };
  return undefined;
}

export function algOfJwk(jwk: Record<string, unknown>): DocAlg | undefined {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  return undefined;
}

export const thumbprintOf = (jwk: Record<string, string>): Promise<string> => calculateJwkThumbprint(jwk as JWK, 'sha256');

export async function importKey(jwk: Record<string, string>, alg: DocAlg): Promise<CryptoKey | undefined> {
  try {
    return (await importJWK(jwk as JWK, alg)) as CryptoKey;
  } catch {
    return undefined;
  }
}

export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
