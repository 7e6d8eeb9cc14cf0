/** Enrol residents and issue cards through the API, as a clerk would. */
import { prepareTrustStore, type TrustStore } from '../../src/credential/index.js';
import type { TestContext } from './app.js';

/** The reference card: a 30-character name and a full birth date. */
export const REFERENCE_RESIDENT = {
  names: { printed: 'Maria Fernanda Oliveira Santos', legal: 'Maria Fernanda Oliveira Santos' },
  birthDate: '1987-11-23',
  address: { line1: '12 rue des Lilas', postalCode: '67000', locality: 'Testville' },
  preferredLanguage: 'pt',
  languages: ['pt', 'fr'],
  evidence: [{ type: 'passport' }, { type: 'utility-bill' }],
};

export async function enrol(t: TestContext, body: Record<string, unknown> = REFERENCE_RESIDENT): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: body });
  if (res.statusCode !== 201) throw new Error(`enrol: ${res.statusCode} ${res.body}`);
  return res.json().resident.id;
}

export interface Issued {
  number: string;
  status: string;
  issuedAt: string;
  expiresAt: string;
  qr: string;
  claimCode: string;
}

export async function issue(t: TestContext, residentId: string): Promise<Issued> {
  const res = await t.app.inject({ method: 'POST', url: `/v1/residents/${residentId}/cards`, headers: t.auth('clerk') });
  if (res.statusCode !== 201) throw new Error(`issue: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function transition(t: TestContext, number: string, action: string, reason?: string) {
  return t.app.inject({ method: 'POST', url: `/v1/cards/${number}/${action}`, headers: t.auth('clerk'), payload: reason ? { reason } : {} });
}

/** A verifier's trust store built from what the city publishes (JWKS), as a partner would. */
export async function trustFromJwks(t: TestContext): Promise<TrustStore> {
  const keys = (await t.app.inject('/.well-known/jwks.json')).json().keys as Array<Record<string, string>>;
  return {
    ownCountry: t.config.country,
    issuers: [
      {
        id: t.config.cityId,
        name: t.config.cityName,
        country: t.config.country,
        keys: keys.map((jwk) => ({ kid: jwk.kid!, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, alg: 'EdDSA' as const, status: 'active' as const })),
      },
    ],
  };
}

export { prepareTrustStore };
