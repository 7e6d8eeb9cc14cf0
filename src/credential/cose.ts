/**
 * COSE_Sign1 (RFC 9052 §4.2): building one, and reading one strictly before
 * any key is touched. The algorithm is read from the protected header only
 * (an `alg` in the unprotected header is refused), and only EdDSA (-8) and
 * ES256 (-7) are accepted — nothing else, ever.
 */
import { Tag, decodeCbor, encodeCbor, isCborMap } from './cbor.js';
import { CredentialError } from './errors.js';
import type { SignatureAlg } from './keys.js';

/** COSE header labels (RFC 9052 §3.1). */
export const COSE_HEADER = { alg: 1, crit: 2, contentType: 3, kid: 4 } as const;
/** COSE algorithm ids (RFC 9053): EdDSA and ES256, the only two accepted. */
export const COSE_ALG: Readonly<Record<SignatureAlg, number>> = { EdDSA: -8, ES256: -7 };
/** CBOR tags: COSE_Sign1 (18) and CWT (61, RFC 8392 §6). */
export const TAG_COSE_SIGN1 = 18;
export const TAG_CWT = 61;
/** Both EdDSA (Ed25519) and ES256 (r‖s, RFC 9053 §2.1) signatures are 64 bytes. */
const SIGNATURE_BYTES = 64;
const MAX_KID_BYTES = 64;

export interface ParsedSign1 {
  alg: SignatureAlg;
  /** Key id bytes, from the protected header or else the unprotected one; absent if neither has one. */
  kid?: Uint8Array;
  /** The payload bytes (the CWT claims, still encoded). */
  payload: Uint8Array;
  /** The bytes the signature covers: the Sig_structure (RFC 9052 §4.4). */
  toBeSigned: Uint8Array;
  signature: Uint8Array;
}

function malformed(why: string): never {
  throw new CredentialError('malformed', `COSE_Sign1: ${why}`);
}

/** The head of a byte string of length `n` (RFC 8949 §3, shortest form). */
function bstrHead(n: number): number[] {
  if (n < 24) return [0x40 | n];
  if (n < 0x100) return [0x58, n];
  if (n < 0x10000) return [0x59, n >> 8, n & 0xff];
  return [0x5a, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** `84 6a "Signature1"`: the array head and the context string, always the same. */
const SIG1_PREFIX = [0x84, 0x6a, ...new TextEncoder().encode('Signature1')];

/**
 * `["Signature1", protected, external_aad = h'', payload]`, encoded (RFC 9052
 * §4.4). Framed by hand — three byte-string heads — because the verifier
 * builds it for every card and an encoder call costs more than the framing.
 * The tests check it against cbor2's encoding.
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  const ph = bstrHead(protectedBytes.length);
  const pl = bstrHead(payload.length);
  const out = new Uint8Array(SIG1_PREFIX.length + ph.length + protectedBytes.length + 1 + pl.length + payload.length);
  let at = 0;
  for (const part of [SIG1_PREFIX, ph, protectedBytes, [0x40], pl, payload]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The protected header we write: `{1: alg, 4: kid}`. */
export function protectedHeader(alg: SignatureAlg, kid: Uint8Array): Uint8Array {
  return encodeCbor(new Map<number, number | Uint8Array>([[COSE_HEADER.alg, COSE_ALG[alg]], [COSE_HEADER.kid, new Uint8Array(kid)]]));
}

/**
 * Assembles a COSE_Sign1, tagged 18, with an empty unprotected header.
 * @example encodeSign1(protectedHeader('EdDSA', kid), payload, signature)
 */
export function encodeSign1(protectedBytes: Uint8Array, payload: Uint8Array, signature: Uint8Array): Uint8Array {
  return encodeCbor(new Tag(TAG_COSE_SIGN1, [new Uint8Array(protectedBytes), new Map(), new Uint8Array(payload), new Uint8Array(signature)]));
}

function algOf(v: unknown): SignatureAlg {
  if (v === COSE_ALG.EdDSA) return 'EdDSA';
  if (v === COSE_ALG.ES256) return 'ES256';
  throw new CredentialError('unsupported_algorithm', 'algorithm not accepted');
}

/**
 * Reads a COSE_Sign1 (tagged 61(18(…)), 18(…) or untagged, as Claim 169
 * implementations write it).
 * @throws CredentialError `malformed` for structure; `unsupported_algorithm`
 * when the protected header carries no accepted algorithm (missing, another
 * one, or `alg` placed in the unprotected header).
 * @example const { alg, kid, payload } = parseSign1(decompress(base45Decode(text), 2048))
 */
export function parseSign1(bytes: Uint8Array): ParsedSign1 {
  let item = decodeCbor(bytes, 'COSE_Sign1');
  if (item instanceof Tag && Number(item.tag) === TAG_CWT) item = item.contents;
  if (item instanceof Tag && Number(item.tag) === TAG_COSE_SIGN1) item = item.contents;
  if (item instanceof Tag) malformed(`unexpected tag ${String(item.tag)}`);
  if (!Array.isArray(item) || item.length !== 4) malformed('not a four-element array');
  const [p, u, payload, signature] = item as unknown[];
  if (!(p instanceof Uint8Array) || !isCborMap(u) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    malformed('element types');
  }
  // RFC 9052 §3: a zero-length protected header stands for the empty map.
  const prot = p.length === 0 ? new Map() : decodeCbor(p, 'protected header', 2);
  if (!isCborMap(prot)) malformed('protected header is not a map');
  for (const label of prot.keys()) {
    // crit or anything we do not understand, under integrity protection: refuse (RFC 9052 §3.1 crit).
    if (label !== COSE_HEADER.alg && label !== COSE_HEADER.kid && label !== COSE_HEADER.contentType) malformed(`protected header label ${String(label)}`);
  }
  if (u.has(COSE_HEADER.alg)) throw new CredentialError('unsupported_algorithm', 'alg in the unprotected header');
  if (u.has(COSE_HEADER.crit)) malformed('crit in the unprotected header');
  const alg = algOf(prot.get(COSE_HEADER.alg));
  if (prot.has(COSE_HEADER.kid) && u.has(COSE_HEADER.kid)) malformed('kid in both headers');
  const kid = prot.get(COSE_HEADER.kid) ?? u.get(COSE_HEADER.kid);
  if (kid !== undefined && (!(kid instanceof Uint8Array) || kid.length === 0 || kid.length > MAX_KID_BYTES)) malformed('kid');
  if (signature.length !== SIGNATURE_BYTES) malformed('signature length');
  const out: ParsedSign1 = { alg, payload, toBeSigned: sigStructure(p, payload), signature };
  if (kid !== undefined) out.kid = kid as Uint8Array;
  return out;
}
