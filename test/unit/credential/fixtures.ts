import { generateKeyPair } from 'jose';
import {
  type CardClaims,
  type SigningKey,
  type TrustStore,
  type TrustedIssuer,
  checkCharacter,
  exportPublicJwk,
  generateSigningKey,
  thumbprint,
} from '../../../src/credential/index.js';

export const NOW = new Date('2026-06-15T12:00:00Z');

/** Each test issuer's URI (its cards' `iss`): `fr-strasbourg` → `https://id.strasbourg.eu`. */
export const uriOf = (id: string): string => `https://id.${id.split('-')[1]}.${id.split('-')[0] === 'fr' ? 'eu' : id.split('-')[0]}`;

/** A 30-character name, a full birth date: the "typical card" of DESIGN.md. */
export function typicalClaims(over: Partial<CardClaims> = {}): CardClaims {
  return {
    issuer: uriOf('fr-strasbourg'),
    number: '7KQ4M2XD9' + checkCharacter('7KQ4M2XD9'),
    name: 'Amina Haddad-Benali Ferreira X',
    birthDate: '1990-04-12',
    country: 'FR',
    issuedOn: '2025-03-01',
    expiresOn: '2030-02-28',
    statusIndex: 123_456,
    statusUri: `${uriOf('fr-strasbourg')}/v1/status-list`,
    ...over,
  };
}

export async function es256Key(): Promise<SigningKey & { alg: 'EdDSA' }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportPublicJwk(publicKey);
  // alg is widened by the caller; SigningKey fixes EdDSA for the issuing side.
  return { alg: 'ES256' as 'EdDSA', kid: await thumbprint(publicJwk), privateKey, publicKey, publicJwk };
}

export interface World {
  strasbourg: SigningKey;
  strasbourgOld: SigningKey;
  strasbourgRevoked: SigningKey;
  lyon: SigningKey;
  partnerEs256: SigningKey;
  berlin: SigningKey;
  store: TrustStore;
  issuer(id: string): TrustedIssuer;
}

export async function makeWorld(): Promise<World> {
  const [strasbourg, strasbourgOld, strasbourgRevoked, lyon, berlin] = await Promise.all(
    Array.from({ length: 5 }, () => generateSigningKey()),
  );
  const partnerEs256 = await es256Key();
  const store: TrustStore = {
    ownCountry: 'FR',
    issuers: [
      {
        id: 'fr-strasbourg',
        uri: uriOf('fr-strasbourg'),
        name: 'Strasbourg',
        country: 'FR',
        keys: [
          { kid: strasbourg!.kid, jwk: strasbourg!.publicJwk, alg: 'EdDSA', status: 'active', notBefore: '2025-01-01T00:00:00Z' },
          { kid: strasbourgOld!.kid, jwk: strasbourgOld!.publicJwk, alg: 'EdDSA', status: 'retired', notAfter: '2024-12-31T23:59:59Z' },
          { kid: strasbourgRevoked!.kid, jwk: strasbourgRevoked!.publicJwk, alg: 'EdDSA', status: 'revoked' },
        ],
      },
      { id: 'fr-lyon',
        uri: uriOf('fr-lyon'), name: 'Lyon', country: 'FR', keys: [{ kid: lyon!.kid, jwk: lyon!.publicJwk, alg: 'EdDSA', status: 'active' }] },
      {
        id: 'fr-grenoble',
        uri: uriOf('fr-grenoble'),
        name: 'Grenoble',
        country: 'FR',
        keys: [{ kid: partnerEs256.kid, jwk: partnerEs256.publicJwk, alg: 'ES256', status: 'active' }],
      },
      { id: 'de-berlin',
        uri: uriOf('de-berlin'), name: 'Berlin', country: 'DE', keys: [{ kid: berlin!.kid, jwk: berlin!.publicJwk, alg: 'EdDSA', status: 'active' }] },
    ],
  };
  return {
    strasbourg: strasbourg!,
    strasbourgOld: strasbourgOld!,
    strasbourgRevoked: strasbourgRevoked!,
    lyon: lyon!,
    partnerEs256,
    berlin: berlin!,
    store,
    issuer: (id) => store.issuers.find((i) => i.id === id)!,
  };
}
