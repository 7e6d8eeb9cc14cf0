/** Documents an attacker (or a broken partner) could present: issuer metadata and key certificates, built by hand. */
import { newKey, signJson } from './network.js';

export type Key = Awaited<ReturnType<typeof newKey>>;

export async function certificate(o: { by: Key; iss: string; key: Key; nbf?: number; exp?: number; sub?: string; typ?: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJson(
    { iss: o.iss, sub: o.sub ?? o.key.kid, jwk: { ...o.key.jwk, alg: 'EdDSA', use: 'sig' }, nbf: o.nbf ?? now - 60, exp: o.exp ?? now + 400 * 86_400 },
    o.by,
    o.typ ?? 'lcc-key-cert+jwt',
  );
}

/** Metadata for issuer `iss` signed by `signer` (default: the root it names). */
export async function metadata(o: {
  root: Key;
  signer?: Key;
  iss: string;
  country?: string;
  keys: Array<{ key: Key; cert: string; status?: 'active' | 'retired' }>;
  revoked?: string[];
  iat?: number;
  exp?: number;
  typ?: string;
  url?: string;
}): Promise<string> {
  const iat = o.iat ?? Math.floor(Date.now() / 1000);
  const url = o.url ?? `https://${o.iss}.example`;
  return signJson(
    {
      iss: o.iss,
      name: `City ${o.iss}`,
      country: o.country ?? 'FR',
      root: o.root.jwk,
      keys: o.keys.map((k) => ({ kid: k.key.kid, status: k.status ?? 'active', cert: k.cert })),
      revoked: o.revoked ?? [],
      status_list_url: `${url}/v1/status-list`,
      jwks_url: `${url}/.well-known/jwks.json`,
      iat,
      exp: o.exp ?? iat + 7 * 86_400,
    },
    o.signer ?? o.root,
    o.typ ?? 'lcc-issuer+jwt',
  );
}

/** A self-consistent issuer of our own making: root, one signing key, its metadata. */
export async function syntheticIssuer(iss: string, country = 'FR') {
  const root = await newKey();
  const signing = await newKey();
  const cert = await certificate({ by: root, iss, key: signing });
  return { root, signing, cert, jws: await metadata({ root, iss, country, keys: [{ key: signing, cert }] }) };
}
