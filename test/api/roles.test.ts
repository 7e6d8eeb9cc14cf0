/**
 * Who may call what: every route of the API against every principal.
 * The table below is the reviewed statement of access; the test fails when a
 * route is added, removed or changes access without the table changing too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { enrol, issue } from '../helpers/cards.js';

type P = 'admin' | 'clerk' | 'official' | 'partner_service' | 'organiser' | 'door' | 'service_key' | 'resident' | 'operator';
const STAFF_ADMIN: P[] = ['admin'];
const CLERK: P[] = ['clerk'];

const TABLE: Record<string, 'public' | P[]> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  // The metrics scraper's bearer (METRICS_TOKEN) only; without the setting the route is not served (test/api/metrics-access.test.ts).
  'GET /metrics': ['operator'],
  'GET /openapi.json': 'public',
  'POST /v1/auth/login': 'public',
  // Console sessions (issue 15, item 6): the refresh token is in an HttpOnly cookie, so these routes take no bearer.
  'POST /v1/auth/session': 'public',
  'POST /v1/auth/session/refresh': 'public',
  'DELETE /v1/auth/session': 'public',
  // Changing one's own password (issue 15, item 8): every staff account has one; keys and residents do not.
  'POST /v1/auth/password': ['admin', 'clerk', 'official', 'partner_service', 'organiser', 'door'],
  'POST /v1/staff': STAFF_ADMIN,
  'GET /v1/staff': STAFF_ADMIN,
  'PATCH /v1/staff/:id': STAFF_ADMIN,
  'POST /v1/service-keys': STAFF_ADMIN,
  'GET /v1/service-keys': STAFF_ADMIN,
  'DELETE /v1/service-keys/:id': STAFF_ADMIN,
  'GET /v1/audit': STAFF_ADMIN,
  'GET /v1/audit/verify': STAFF_ADMIN,
  'GET /.well-known/jwks.json': 'public',
  'GET /.well-known/lcc-issuer': 'public',
  'GET /v1/keys': STAFF_ADMIN,
  'POST /v1/keys/rotate': STAFF_ADMIN,
  'POST /v1/keys/:kid/revoke': STAFF_ADMIN,
  // Residents: clerks only — an administrator manages staff and keys, not people's records.
  'GET /v1/evidence-rules': ['clerk', 'admin'],
  'POST /v1/residents': CLERK,
  'GET /v1/residents': CLERK,
  'GET /v1/residents/:id': CLERK,
  'PATCH /v1/residents/:id': CLERK,
  'DELETE /v1/residents/:id': CLERK,
  'PUT /v1/residents/:id/photo': CLERK,
  'GET /v1/residents/:id/photo': CLERK,
  // Cards
  'POST /v1/residents/:id/cards': CLERK,
  'GET /v1/residents/:id/cards': CLERK,
  'GET /v1/cards/:number': CLERK,
  'GET /v1/cards/:number/pdf': CLERK,
  'POST /v1/cards/:number/renew': CLERK,
  'POST /v1/cards/:number/replace': CLERK,
  'POST /v1/cards/:number/suspend': CLERK,
  'POST /v1/cards/:number/reinstate': CLERK,
  'POST /v1/cards/:number/revoke': CLERK,
  'POST /v1/cards/:number/claim-code': CLERK,
  'GET /v1/status-list': 'public',
  // Verification: officials see the full card, partner services their profile.
  'POST /v1/verify': ['official', 'partner_service', 'service_key'],
  'GET /v1/verification-counts': STAFF_ADMIN,
  'GET /v1/verifier-bundle': 'public',
  'GET /v1/verifier-directory': 'public',
  // The offline verifier page and its shell (src/web/verify).
  'GET /verify': 'public',
  'GET /verify/': 'public',
  'GET /verify/app.js': 'public',
  'GET /verify/verify.css': 'public',
  'GET /verify/sw.js': 'public',
  // Federation: partner cities and the national trust list are the administrator's.
  'POST /v1/federation/partners': STAFF_ADMIN,
  'GET /v1/federation/partners': STAFF_ADMIN,
  'GET /v1/federation/partners/:id': STAFF_ADMIN,
  'DELETE /v1/federation/partners/:id': STAFF_ADMIN,
  'POST /v1/federation/partners/:id/sync': STAFF_ADMIN,
  'POST /v1/federation/trust-list': STAFF_ADMIN,
  'GET /v1/federation/directory': STAFF_ADMIN,
  'POST /v1/federation/directory/sync': STAFF_ADMIN,
  'GET /v1/network': 'public',
  'GET /v1/network.geojson': 'public',
  'GET /network': 'public',
  'GET /network/': 'public',
  'GET /network/app.js': 'public',
  'GET /network/app.css': 'public',
  // The clerk console and the resident portal (src/web/console, src/web/portal): pages only, every call they make is authenticated.
  'GET /console': 'public',
  'GET /console/': 'public',
  'GET /console/app.js': 'public',
  'GET /console/app.css': 'public',
  'GET /me': 'public',
  'GET /me/': 'public',
  'GET /me/app.js': 'public',
  'GET /me/app.css': 'public',
  // The pages' icon (issue 15).
  'GET /favicon.svg': 'public',
  'GET /favicon.ico': 'public',
  // Resident portal: claim and sign-in are open (rate-limited); the rest is the resident's own.
  'POST /v1/self/claim': 'public',
  'POST /v1/self/login': 'public',
  'GET /v1/self/data': ['resident'],
  'GET /v1/self/photo': ['resident'],
  'GET /v1/self/card.pdf': ['resident'],
  'PATCH /v1/self/road': ['resident'],
  'POST /v1/self/proof': ['resident'],
  'DELETE /v1/self': ['resident'],
  // Enrolment appointments (issue 18): booking needs no account; sites are the administrator's, the desk the clerk's.
  'GET /v1/enrolment-sites': 'public',
  'GET /v1/enrolment-sites/:id/slots': 'public',
  'POST /v1/enrolment-sites': STAFF_ADMIN,
  'PATCH /v1/enrolment-sites/:id': STAFF_ADMIN,
  'GET /v1/enrolment-sites/:id/day': CLERK,
  'POST /v1/enrolment-sites/:id/walk-ins': CLERK,
  'POST /v1/appointments': 'public',
  'GET /v1/appointments/:reference': 'public',
  'GET /v1/appointments/:reference/calendar.ics': 'public',
  'DELETE /v1/appointments/:reference': 'public',
  'PATCH /v1/appointments/:reference': 'public',
  'POST /v1/appointments/:reference/check-in': CLERK,
  'POST /v1/organisation-appointments': ['partner_service'],
  'PUT /v1/booking-rights/:staffId': STAFF_ADMIN,
  'DELETE /v1/booking-rights/:staffId': STAFF_ADMIN,
  // The public booking page (src/web/appointments).
  'GET /appointments': 'public',
  'GET /appointments/': 'public',
  'GET /appointments/app.js': 'public',
  'GET /appointments/app.css': 'public',
  // Welcoming Week (issue 17): the programme, its calendars and the draw record are public; organisers plan;
  // partner organisations propose; the door checks tickets; holders RSVP at the portal, or a clerk at the desk.
  'GET /events': 'public',
  'GET /events/': 'public',
  'GET /events/app.js': 'public',
  'GET /events/app.css': 'public',
  'GET /v1/events': 'public',
  'GET /v1/events.ics': 'public',
  'GET /v1/events/:id.ics': 'public',
  'GET /v1/events/:id/draw': 'public',
  'POST /v1/events': ['admin', 'organiser', 'partner_service'],
  'GET /v1/event-proposals': ['admin', 'organiser'],
  'PATCH /v1/events/:id': ['admin', 'organiser'],
  'DELETE /v1/events/:id': ['admin', 'organiser'],
  'POST /v1/events/:id/publish': ['admin', 'organiser'],
  'POST /v1/events/:id/draw': ['admin', 'organiser'],
  'GET /v1/events/:id/counts': ['admin', 'organiser'],
  'POST /v1/event-editions': ['admin', 'organiser'],
  'GET /v1/event-editions': ['admin', 'organiser'],
  'PATCH /v1/event-editions/:id/milestones/:key': ['admin', 'organiser'],
  'POST /v1/event-spaces': ['admin', 'organiser'],
  'GET /v1/event-spaces': ['admin', 'organiser'],
  'PATCH /v1/event-spaces/:id': ['admin', 'organiser'],
  'POST /v1/events/:id/check-ins': ['door', 'organiser'],
  'GET /v1/events/:id/tickets': ['door', 'organiser'],
  'POST /v1/self/events/:id/rsvp': ['resident'],
  'DELETE /v1/self/events/:id/rsvp': ['resident'],
  'GET /v1/self/events': ['resident'],
  'POST /v1/events/:id/rsvps': CLERK,
  'DELETE /v1/events/:id/rsvps/:number': CLERK,
  // The door code: an organiser prints it; a door phone uses it with no account (the code in the body; 401 door-code-invalid without a right one).
  'POST /v1/events/:id/door-code': ['admin', 'organiser'],
  'DELETE /v1/events/:id/door-code': ['admin', 'organiser'],
  'POST /v1/events/:id/offline-admissions': ['door', 'organiser'],
  'POST /v1/door': 'public',
  'POST /v1/door/check-ins': 'public',
  'POST /v1/door/offline-admissions': 'public',
  // Benefits (issue 16): the directory is public; the register is the administrator's; redemptions and their counts
  // belong to partner organisations' accounts and keys (a principal of no partner gets offer-not-yours / nothing).
  'GET /offers': 'public',
  'GET /offers/': 'public',
  'GET /offers/app.js': 'public',
  'GET /offers/app.css': 'public',
  'GET /v1/partners': 'public',
  'GET /v1/partners.geojson': 'public',
  'GET /v1/offers': 'public',
  'POST /v1/partners': STAFF_ADMIN,
  'PATCH /v1/partners/:id': STAFF_ADMIN,
  'DELETE /v1/partners/:id': STAFF_ADMIN,
  'POST /v1/partners/:id/offers': STAFF_ADMIN,
  'PATCH /v1/offers/:id': STAFF_ADMIN,
  'DELETE /v1/offers/:id': STAFF_ADMIN,
  'POST /v1/offers/:id/redemptions': ['partner_service', 'service_key'],
  'GET /v1/benefits/redemption-counts': ['admin', 'partner_service', 'service_key'],
  'GET /v1/benefits/holder-ages': ['admin'],
};

const PRINCIPALS: Array<P | 'none'> = ['none', 'admin', 'clerk', 'official', 'partner_service', 'organiser', 'door', 'service_key', 'resident', 'operator'];
const METRICS_TOKEN = 'metrics-scraper-token-0123456789abcdef';

let t: TestContext;
let serviceKey: string;
let residentToken: string;
const eventStaff: Partial<Record<P, string>> = {};
beforeAll(async () => {
  t = await createTestApp({ env: { METRICS_TOKEN } });
  serviceKey = (await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'probe', profile: 'name_and_photo' } })).json().secret;
  const card = await issue(t, await enrol(t));
  residentToken = (await t.app.inject({ method: 'POST', url: '/v1/self/claim', payload: { number: card.number, claimCode: card.claimCode, pin: '583920' }, remoteAddress: '10.77.0.1' })).json().accessToken;
  for (const role of ['organiser', 'door'] as const) {
    await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: role, password: TEST_PASSWORD, role } });
    eventStaff[role] = (await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: role, password: TEST_PASSWORD } })).json().accessToken;
  }
});
afterAll(() => t.close());

const SAMPLE_PARAMS: Record<string, string> = {
  id: '6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11',
  number: '0000-0000-00',
  kid: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  '*': 'x',
};

function concrete(url: string): string {
  return url.replace(/:(\w+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x').replace(/\*/g, SAMPLE_PARAMS['*']!);
}

function headersFor(p: P | 'none'): Record<string, string> {
  if (p === 'none') return {};
  if (p === 'service_key') return { authorization: `Bearer ${serviceKey}` };
  if (p === 'resident') return { authorization: `Bearer ${residentToken}` };
  if (p === 'operator') return { authorization: `Bearer ${METRICS_TOKEN}` };
  if (p === 'organiser' || p === 'door') return { authorization: `Bearer ${eventStaff[p]}` };
  return t.auth(p);
}

describe('route access table', () => {
  it('names every route the app serves, with the access it declares', () => {
    const served = Object.fromEntries(t.app.routeAccess.map((r) => [`${r.method} ${r.url}`, r.access]));
    expect(Object.keys(served).sort()).toEqual(Object.keys(TABLE).sort());
    for (const [key, access] of Object.entries(TABLE)) {
      expect(access === 'public' ? served[key] : [...(served[key] as P[])].sort(), key).toEqual(access === 'public' ? 'public' : [...access].sort());
    }
  });

  const cases = Object.entries(TABLE).flatMap(([route, access]) =>
    PRINCIPALS.map((principal) => ({ route, access, principal, granted: access === 'public' || access.includes(principal as P) })),
  );

  it.each(cases)('$route as $principal → granted: $granted', async ({ route, access, principal, granted }) => {
    const [method, url] = route.split(' ') as [string, string];
    const res = await t.app.inject({
      method: method as 'GET',
      url: concrete(url),
      headers: { ...headersFor(principal), ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }) },
      ...(method === 'GET' || method === 'DELETE' ? {} : { payload: '{}' }),
    });
    if (granted) {
      // A public route may still refuse a credential of its own (a session cookie: 401 token-invalid), never the caller.
      if (access === 'public' && res.statusCode === 401) expect(res.json().code, `${route} ${res.body}`).toBe('token-invalid');
      else expect([401, 403], `${route} ${res.body}`).not.toContain(res.statusCode);
    } else {
      expect(res.statusCode).toBe(principal === 'none' ? 401 : 403);
      expect(res.json().code).toBe(principal === 'none' ? 'unauthenticated' : 'forbidden');
    }
  });
});
