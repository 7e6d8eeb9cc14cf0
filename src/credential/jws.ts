/**
 * Strict reading of a compact JWS (RFC 7515 §7.1) before any key is touched —
 * status list tokens only (the card is a COSE_Sign1):
 * three canonical base64url parts, a header holding only the parameters we
 * emit, an algorithm from the allow-list, a payload inflated under a cap.
 */
import { inflateSync } from 'fflate';
import { b64uDecode } from './base64url.js';
import { CredentialError } from './errors.js';
import type { SignatureAlg } from './keys.js';

/** Shortest kid a JWS (a status list token) may carry. */
const MIN_KID_LENGTH = 8;

export const ALLOWED_ALGS: readonly SignatureAlg[] = ['EdDSA', 'ES256'];
/** Both EdDSA (Ed25519) and ES256 (r‖s, RFC 7518 §3.4) signatures are 64 bytes. */
const SIGNATURE_BYTES = 64;
const MAX_HEADER_CHARS = 256;
/** A card's DEFLATE payload is far smaller; the cap bounds the work a hostile one can cause. */
const MAX_COMPRESSED_BYTES = 1024;

export interface JwsHeader {
  alg: SignatureAlg;
  kid: string;
  zip?: 'DEF';
  typ?: string;
}

export interface ParsedJws {
  header: JwsHeader;
  /** Payload after inflating `zip: DEF`. */
  payload: Uint8Array;
}

export interface ParseOptions {
  /** Header parameters allowed besides `alg` and `kid`. */
  extraHeaders: ReadonlyArray<'zip' | 'typ'>;
  /** Largest payload accepted, after inflating. */
  maxPayloadBytes: number;
}

const KID = /^[A-Za-z0-9_-]+$/;

function malformed(why: string): never {
  throw new CredentialError('malformed', why);
}

/** Raw DEFLATE (RFC 1951) inflate refusing more than `max` bytes of output. */
export function inflateCapped(data: Uint8Array, max: number): Uint8Array {
  if (data.length > MAX_COMPRESSED_BYTES) malformed('compressed payload too long');
  let out: Uint8Array;
  try {
    out = inflateSync(data, { out: new Uint8Array(max + 1) });
  } catch {
    return malformed('payload does not inflate');
  }
  if (out.length > max) malformed('inflated payload too long');
  return out;
}

/**
 * @throws CredentialError `malformed` for structure, `unsupported_algorithm`
 * for any `alg` outside EdDSA and ES256 (`none`, HMAC, …).
 */
export function parseCompactJws(jws: string, opts: ParseOptions): ParsedJws {
  const parts = jws.split('.');
  if (parts.length !== 3) malformed('not a compact JWS');
  const [h, p, s] = parts as [string, string, string];
  if (h.length === 0 || h.length > MAX_HEADER_CHARS || p.length === 0) malformed('empty or oversized part');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b64uDecode(h))) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof CredentialError) throw e;
    return malformed('header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) malformed('header is not an object');
  // RFC 7515 §4.1.1: the algorithm decides everything; refuse before any key is chosen.
  if (typeof header.alg !== 'string' || !(ALLOWED_ALGS as readonly string[]).includes(header.alg)) {
    throw new CredentialError('unsupported_algorithm', 'algorithm not accepted');
  }
  for (const name of Object.keys(header)) {
    if (name !== 'alg' && name !== 'kid' && !(opts.extraHeaders as readonly string[]).includes(name)) {
      malformed(`header parameter ${name} not accepted`);
    }
  }
  const { kid, zip, typ } = header;
  if (typeof kid !== 'string' || kid.length < MIN_KID_LENGTH || kid.length > 43 || !KID.test(kid)) malformed('kid');
  if (zip !== undefined && zip !== 'DEF') malformed('zip');
  if (typ !== undefined && typeof typ !== 'string') malformed('typ');
  if (b64uDecode(s).length !== SIGNATURE_BYTES) malformed('signature length');
  let payload = b64uDecode(p);
  if (zip === 'DEF') payload = inflateCapped(payload, opts.maxPayloadBytes);
  else if (payload.length > opts.maxPayloadBytes) malformed('payload too long');
  const out: JwsHeader = { alg: header.alg as SignatureAlg, kid };
  if (zip === 'DEF') out.zip = 'DEF';
  if (typeof typ === 'string') out.typ = typ;
  return { header: out, payload };
}
