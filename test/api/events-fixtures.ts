/** Shared set-up for the events suites: organiser and door accounts, card holders signed in at the portal, events. */
import type { TestContext } from '../helpers/app.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { enrol, issue } from '../helpers/cards.js';

export async function staffToken(t: TestContext, role: 'organiser' | 'door', username = role): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username, password: TEST_PASSWORD, role } });
  if (res.statusCode !== 201) throw new Error(`create ${role}: ${res.body}`);
  const login = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
  return login.json().accessToken as string;
}

export interface Holder {
  residentId: string;
  number: string;
  name: string;
  token: string;
}

let claims = 0;
/** A resident with a card, signed in at the portal. */
export async function holder(t: TestContext, name = `Holder ${Math.random().toString(36).slice(2, 8)}`): Promise<Holder> {
  const residentId = await enrol(t, { names: { printed: name }, preferredLanguage: 'pt', evidence: [{ type: 'passport' }, { type: 'utility-bill' }] });
  const card = await issue(t, residentId);
  claims++;
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/self/claim',
    payload: { number: card.number, claimCode: card.claimCode, pin: '583920' },
    remoteAddress: `10.88.${Math.floor(claims / 200)}.${claims % 200}`,
  });
  if (res.statusCode !== 200) throw new Error(`claim: ${res.body}`);
  return { residentId, number: card.number, name, token: res.json().accessToken };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const EVENT = {
  title: { en: 'Cooking together', fr: 'Cuisiner ensemble', pt: 'Cozinhar juntos', ar: 'نطبخ معًا', es: 'Cocinar juntos' },
  category: 'cooking',
  startsAt: '2027-09-20T18:00:00+02:00',
  endsAt: '2027-09-20T21:00:00+02:00',
  place: { name: 'Maison des associations', address: '1 place de la Gare, Testville' },
  languages: ['fr', 'ar', 'pt'],
  capacity: 10,
  access: 'card-holders',
  rsvp: 'first-come',
};

export async function createEvent(t: TestContext, token: string, body: Record<string, unknown> = {}): Promise<{ id: string } & Record<string, unknown>> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(token), payload: { ...EVENT, ...body } });
  if (res.statusCode !== 201) throw new Error(`event: ${res.statusCode} ${res.body}`);
  return res.json();
}
