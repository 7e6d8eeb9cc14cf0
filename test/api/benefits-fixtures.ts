/** Partners, offers and partner keys for the benefits suites. */
import type { TestContext } from '../helpers/app.js';

export const PARTNER = {
  name: 'Musée des Beaux-Arts',
  category: 'culture',
  description: { fr: 'Le musée de la ville', en: 'The city museum' },
  addresses: [{ line1: '2 place du Château', postalCode: '67000', locality: 'Testville', lat: 48.5811, lon: 7.7519 }],
  hours: 'We-Mo 10:00-18:00',
  languages: ['fr', 'de', 'en'],
  accessibility: ['step-free'],
  website: 'https://musees.example.org',
  phone: '+33 3 68 98 50 00',
  acceptsCardAsId: false,
};

export const OFFER = {
  title: { fr: 'Entrée gratuite', en: 'Free entry', ar: 'دخول مجاني' },
  kind: 'free-entry',
  limit: { per: 'year' },
};

export async function createPartner(t: TestContext, body: Record<string, unknown> = {}): Promise<{ id: string } & Record<string, unknown>> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/partners', headers: t.auth('admin'), payload: { ...PARTNER, ...body } });
  if (res.statusCode !== 201) throw new Error(`partner: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function createOffer(t: TestContext, partnerId: string, body: Record<string, unknown> = {}): Promise<{ id: string } & Record<string, unknown>> {
  const res = await t.app.inject({ method: 'POST', url: `/v1/partners/${partnerId}/offers`, headers: t.auth('admin'), payload: { ...OFFER, ...body } });
  if (res.statusCode !== 201) throw new Error(`offer: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A service key of the partner (the secret is shown once). */
export async function partnerKey(t: TestContext, partnerId: string, profile = 'name_and_photo'): Promise<{ id: string; secret: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: `counter ${partnerId.slice(0, 4)}`, profile, partnerId } });
  if (res.statusCode !== 201) throw new Error(`key: ${res.statusCode} ${res.body}`);
  return res.json();
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
