/**
 * `credential:check`: reads a Claim 169 QR text (ours or any other
 * implementation's) or a picture of one, verifies it against the keys given,
 * and prints one JSON object `{ "result", "issuer", "claims" }`. Exit code 0
 * for `valid`, 2 for `malformed`, 1 for any other result (and for bad usage).
 *
 * Trust, one of:
 * - `--public-key-hex <64 hex>`: that one Ed25519 key, for whatever issuer the card names;
 * - `--jwks <file or URL>`: the keys of a JWKS (Ed25519 and P-256), for whatever issuer the card names;
 * - `--bundle <file>`: a verifier bundle (GET /v1/verifier-bundle) as saved —
 *   its issuers, keys and status lists, taken as given (the file is what you trust).
 * With the first two, every key is tried whatever the card's kid (other
 * ecosystems name keys differently) and the card's own country counts as home.
 */
import { readFile } from 'node:fs/promises';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import type { JWK } from 'jose';
import {
  type CwtClaims,
  type TrustStore,
  type TrustedIssuer,
  type TrustedKey,
  inspectCredential,
  thumbprint,
  verifyCredential,
  prepareTrustStore,
  verifyStatusList,
} from '../credential/index.js';
import { nodeBrotli } from '../modules/verification/node-brotli.js';
import { nodeSignatureCheck } from '../modules/verification/node-signature-check.js';

type JsQR = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr's default export under NodeNext (NOTES.md).
const jsQR: JsQR = (jsQRModule as unknown as { default?: JsQR }).default ?? (jsQRModule as unknown as JsQR);

export interface CheckOutput {
  result: string;
  issuer: { uri?: string; id?: string; name?: string; country?: string } | null;
  claims: Record<string, unknown> | null;
}

export class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return v;
}

/** The text of the QR code in a PNG or JPEG picture (jsQR on the decoded pixels). */
export async function qrTextOfPicture(file: string): Promise<string | undefined> {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height)?.data;
}

/** What the card says, as JSON: CWT claims by name and the Claim 169 attributes by name. */
function claimsJson(c: CwtClaims): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['iss', 'sub', 'exp', 'nbf', 'iat'] as const) if (c[k] !== undefined) out[k] = c[k];
  if (c.cti) out.cti = Buffer.from(c.cti).toString('hex');
  if (c.status) out.status = { status_list: c.status };
  if (c.identity) out.identity = c.identity;
  return out;
}

async function jwksKeys(source: string): Promise<TrustedKey[]> {
  const text = /^https?:\/\//.test(source) ? await (await fetch(source)).text() : await readFile(source, 'utf8');
  const doc = JSON.parse(text) as { keys?: JWK[] };
  const keys: TrustedKey[] = [];
  for (const k of doc.keys ?? []) {
    const jwk: JWK | undefined =
      k.kty === 'OKP' && k.crv === 'Ed25519' && k.x ? { kty: 'OKP', crv: 'Ed25519', x: k.x } : k.kty === 'EC' && k.crv === 'P-256' && k.x && k.y ? { kty: 'EC', crv: 'P-256', x: k.x, y: k.y } : undefined;
    // Named by their thumbprint whatever kid the file gives them (ours are thumbprints already).
    if (jwk) keys.push({ kid: await thumbprint(jwk), jwk, alg: jwk.kty === 'OKP' ? 'EdDSA' : 'ES256', status: 'active' });
  }
  if (keys.length === 0) throw new UsageError('the JWKS holds no Ed25519 or P-256 key');
  return keys;
}

async function bundleStore(file: string, now: Date): Promise<TrustStore> {
  const jws = (await readFile(file, 'utf8')).trim();
  const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    country: string;
    issuers: Array<TrustedIssuer & { statusList?: string }>;
  };
  const issuers: TrustedIssuer[] = [];
  for (const i of payload.issuers) {
    const issuer: TrustedIssuer = { id: i.id, name: i.name, country: i.country, keys: i.keys, ...(i.uri ? { uri: i.uri } : {}) };
    if (i.statusList) {
      try {
        const list = await verifyStatusList(i.statusList, issuer, { now });
        issuer.statusList = { bits: list.bits, list: list.list, fetchedAt: new Date(list.iat * 1000).toISOString() };
      } catch {
        // A list that does not verify is left out: revocation is then reported as not checked.
      }
    }
    issuers.push(issuer);
  }
  return { ownCountry: payload.country, issuers };
}

/**
 * Runs the check. Never throws for a bad card (that is a result); throws
 * UsageError for bad arguments.
 * @example await checkCredential(['--text', qr, '--public-key-hex', hex]) // { exit: 0, output: { result: 'valid', … } }
 */
export async function checkCredential(args: string[]): Promise<{ exit: number; output: CheckOutput }> {
  const nowArg = option(args, '--now');
  const now = nowArg ? new Date(nowArg) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError('--now must be an ISO instant');
  const textArg = option(args, '--text');
  const pngArg = option(args, '--png');
  if ((textArg === undefined) === (pngArg === undefined)) throw new UsageError('give one of --text <QR text> or --png <file>');
  const hex = option(args, '--public-key-hex');
  const jwks = option(args, '--jwks');
  const bundle = option(args, '--bundle');
  if ([hex, jwks, bundle].filter((v) => v !== undefined).length !== 1) throw new UsageError('give one of --public-key-hex, --jwks or --bundle');
  if (hex !== undefined && !/^[0-9a-fA-F]{64}$/.test(hex)) throw new UsageError('--public-key-hex must be 64 hex digits (a raw Ed25519 public key)');

  const text = textArg ?? (await qrTextOfPicture(pngArg!));
  const malformed = { exit: 2, output: { result: 'malformed', issuer: null, claims: null } };
  if (text === undefined) return malformed;
  let cwt: CwtClaims;
  try {
    cwt = inspectCredential(text, nodeBrotli).cwt;
  } catch {
    // An algorithm outside EdDSA/ES256 reads as invalid_signature in verifyCredential; let it say so.
    cwt = {};
  }

  let store: TrustStore;
  let ignoreKid = false;
  if (bundle !== undefined) store = await bundleStore(bundle, now);
  else {
    const keys: TrustedKey[] = hex !== undefined ? await jwksKeysOf(hex) : await jwksKeys(jwks!);
    const country = typeof cwt.identity?.countryOfIssuance === 'string' && /^[A-Z]{2}$/.test(cwt.identity.countryOfIssuance) ? cwt.identity.countryOfIssuance : 'ZZ';
    store = { ownCountry: country, issuers: [{ id: 'given-keys', uri: cwt.iss ?? 'about:blank', name: 'the keys given on the command line', country, keys }] };
    ignoreKid = true;
  }
  const trust = await prepareTrustStore(store, { check: nodeSignatureCheck });
  const r = await verifyCredential(text, { trust, now, brotli: nodeBrotli, ignoreKid });
  const issuer = r.issuer ? { ...(cwt.iss ? { uri: cwt.iss } : {}), ...(bundle !== undefined ? r.issuer : {}) } : cwt.iss ? { uri: cwt.iss } : null;
  const output: CheckOutput = { result: r.result, issuer, claims: r.result === 'malformed' ? null : claimsJson(cwt) };
  return { exit: r.result === 'valid' ? 0 : r.result === 'malformed' ? 2 : 1, output };
}

async function jwksKeysOf(hex: string): Promise<TrustedKey[]> {
  const jwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') };
  return [{ kid: await thumbprint(jwk), jwk, alg: 'EdDSA', status: 'active' }];
}
