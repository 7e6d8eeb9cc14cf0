/**
 * The city's issuer metadata (DESIGN.md "Keys and federation"): who the
 * issuer is, its root key, its certified signing keys, which of its keys are
 * revoked, and where its status list lives — a JWS signed by the root key, so
 * a partner that pinned the root key's fingerprint can trust every field.
 */
import type { KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import type { PublicProfile } from '../network/public-profile.js';

export const ISSUER_METADATA_TYP = 'lcc-issuer+jwt';
/** Partners refresh well within this; an older copy still verifies, and reports its age. */
export const METADATA_LIFETIME_SECONDS = 7 * 86_400;

export interface IssuerMetadata {
  iss: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** The root public key; its RFC 7638 thumbprint is what administrators compare out of band. */
  root: Record<string, string>;
  /** Signing keys still needed to verify unexpired cards, each with the root's certificate. */
  keys: Array<{ kid: string; status: 'active' | 'retired'; cert: string }>;
  /** Thumbprints of compromised signing keys: cards they signed report key_revoked. */
  revoked: string[];
  status_list_url: string;
  jwks_url: string;
  iat: number;
  exp: number;
  /** Optional public fields for the map of the network (templates/network/city-profile.json, src/modules/network). */
  public?: PublicProfile;
}

export async function signIssuerMetadata(metadata: IssuerMetadata, root: { kid: string; privateKey: KeyObject }): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(metadata)))
    .setProtectedHeader({ alg: 'EdDSA', kid: root.kid, typ: ISSUER_METADATA_TYP })
    .sign(root.privateKey);
}
