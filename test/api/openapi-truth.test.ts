/**
 * /openapi.json tells the truth (issue 14). The document is validated as
 * OpenAPI 3.1 (@seriousme/openapi-schema-validator), then checked against the
 * live service:
 * - probes over every operation in the document (new routes are covered
 *   without listing them here): without credentials a protected operation
 *   answers a documented 401; a staff role outside its security requirement
 *   gets a documented 403; a body in a media type it does not take gets a
 *   documented 415; a method a path does not have answers 405 with `Allow`;
 * - one representative flow per module, every answer of which — success or
 *   error — must have a documented status, a documented media type and a body
 *   valid against the documented schema (AJV, JSON Schema 2020-12, formats);
 * - the schema limits of the enrolment form equal what the server enforces.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp, type TestContext, type TestRole } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';
import { cardPhoto } from '../helpers/photo.js';
import { NAME_MAX } from '../../src/modules/residents/names.js';
import { TEXT_MAX } from '../../src/modules/residents/resident-record.js';
import { SITE } from './appointments-fixtures.js';
import { EVENT, staffToken } from './events-fixtures.js';
import { OFFER, PARTNER } from './benefits-fixtures.js';

type Op = {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: { default?: unknown; format?: string } }>;
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};
type Doc = { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DOC_ID = 'https://lcc.test/openapi.json';

let t: TestContext;
let doc: Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
/** Extra bearers: accounts of the roles createTestApp does not make, a service key. */
const bearers: Record<string, string> = {};
/** `METHOD path status` of every answer the flows checked. */
const covered = new Set<string>();
let address = 0;
const nextAddress = () => `10.77.${(++address >> 8) & 255}.${address & 255}`;

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => HTTP_METHODS.includes(m))
      .map(([m, op]) => ({ method: m.toUpperCase(), path, op })),
  );

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** A request path for a documented template: `{id}` filled from `params`, else with a value of the parameter's kind. */
function fill(path: string, op: Op, params: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (params[name] !== undefined) return encodeURIComponent(params[name]!);
    const p = op.parameters?.find((x) => x.in === 'path' && x.name === name);
    return p?.schema?.format === 'uuid' ? randomUUID() : 'X1';
  });
}

/** Mismatches between an answer and the document, as readable lines (empty when the answer is documented). */
function mismatches(method: string, path: string, res: { statusCode: number; headers: Record<string, unknown>; rawPayload: Buffer; body: string }): string[] {
  const where = `${method} ${path} → ${res.statusCode}`;
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) return [`${where}: no such operation in the document`];
  const status = String(res.statusCode);
  const key = [status, `${status[0]}XX`, 'default'].find((k) => op.responses[k]);
  if (!key) return [`${where}: status not documented (documented: ${Object.keys(op.responses).join(', ')})`];
  const entry = op.responses[key]!;
  const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!entry.content) return res.rawPayload.length === 0 ? [] : [`${where}: answers a ${type} body, the document describes none`];
  const range = [type, `${type.split('/')[0]}/*`, '*/*'].find((k) => entry.content![k]);
  if (!range) return [`${where}: media type ${type || '(none)'} not documented (documented: ${Object.keys(entry.content).join(', ')})`];
  if (range !== type) return [];
  if (!/(^application\/json$|\+json$)/.test(type)) {
    if (res.rawPayload.length === 0) return [`${where}: empty ${type} body`];
    if (type === 'application/pdf' && !res.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-'))) return [`${where}: not a PDF`];
    if (type === 'image/jpeg' && res.rawPayload[0] !== 0xff) return [`${where}: not a JPEG`];
    if (/jwt$|jose$/.test(type) && res.body.split('.').length !== 3) return [`${where}: not a compact JWS`];
    if (type === 'text/calendar' && !res.body.startsWith('BEGIN:VCALENDAR')) return [`${where}: not iCalendar`];
    return [];
  }
  const validate = ajv.getSchema(`${DOC_ID}#/${pointer('paths', path, method.toLowerCase(), 'responses', key, 'content', type, 'schema')}`);
  if (!validate) return [`${where}: documented schema does not compile`];
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [`${where}: not JSON`];
  }
  return validate(body) ? [] : [`${where}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`];
}

/** Calls a documented operation and records any mismatch with the document. */
async function call(
  found: string[],
  method: string,
  path: string,
  opts: { params?: Record<string, string>; query?: Record<string, string>; headers?: Record<string, string>; payload?: unknown; as?: TestRole | string } = {},
) {
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) {
    found.push(`${method} ${path}: not in the document`);
    throw new Error(`${method} ${path} not documented`);
  }
  const auth = opts.as ? { authorization: `Bearer ${bearers[opts.as] ?? t.tokens[opts.as as TestRole]}` } : {};
  const res = await t.app.inject({
    method: method as 'GET',
    url: fill(path, op, opts.params),
    query: opts.query,
    headers: { ...auth, ...opts.headers },
    payload: opts.payload as never,
    remoteAddress: nextAddress(),
  });
  found.push(...mismatches(method, path, res));
  covered.add(`${method} ${path} ${res.statusCode}`);
  return res;
}

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  ajv.addSchema(doc as never, DOC_ID);
  bearers.organiser = await staffToken(t, 'organiser');
  bearers.door = await staffToken(t, 'door');
  const key = await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'Library', profile: 'name_and_photo' } });
  bearers.serviceKey = key.json().secret;
});

afterAll(async () => {
  await t?.close();
});

describe('the API description', () => {
  it('is a valid OpenAPI 3.1 document, and every schema in it compiles', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    const failed: string[] = [];
    for (const { method, path, op } of operations()) {
      for (const [status, r] of Object.entries(op.responses)) {
        for (const type of Object.keys(r.content ?? {})) {
          try {
            ajv.getSchema(`${DOC_ID}#/${pointer('paths', path, method.toLowerCase(), 'responses', status, 'content', type, 'schema')}`);
          } catch (e) {
            failed.push(`${method} ${path} ${status} ${type}: ${(e as Error).message}`);
          }
        }
      }
    }
    expect(failed).toEqual([]);
  });

  it('every operation states its security as the server enforces it, a success answer, problem+json errors, and the 400/413/415/429/5XX it can give', () => {
    const access = new Map(t.app.routeAccess.map((r) => [`${r.method} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`, r.access]));
    const wrong: string[] = [];
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const { method, path, op } of operations()) {
      const at = `${method} ${path}`;
      if (!Array.isArray(op.security)) wrong.push(`${at}: no security`);
      const a = access.get(at);
      if (a === undefined) wrong.push(`${at}: no route with this access`);
      if ((a === 'public') !== (op.security?.length === 0)) wrong.push(`${at}: security ${JSON.stringify(op.security)} but access ${JSON.stringify(a)}`);
      for (const req of op.security ?? []) for (const name of Object.keys(req)) if (!schemes.includes(name)) wrong.push(`${at}: unknown scheme ${name}`);
      if (Array.isArray(a)) {
        const named = new Set((op.security ?? []).flatMap((r) => r.staffToken ?? []));
        const staff = a.filter((p) => !['service_key', 'resident', 'operator'].includes(p));
        if (staff.length !== named.size || staff.some((r) => !named.has(r))) wrong.push(`${at}: staff roles ${[...named]} but access ${staff}`);
      }
      const codes = Object.keys(op.responses);
      if (!codes.some((c) => /^[23]/.test(c))) wrong.push(`${at}: no success answer`);
      for (const [c, r] of Object.entries(op.responses)) {
        if (!/^[45]/.test(c)) continue;
        const types = Object.keys(r.content ?? {});
        if (types.length !== 1 || types[0] !== 'application/problem+json') wrong.push(`${at} ${c}: ${types.join(', ') || 'no content'}`);
        else if ((r.content!['application/problem+json']!.schema as { $ref?: string }).$ref !== '#/components/schemas/Problem') wrong.push(`${at} ${c}: not the Problem schema`);
      }
      const expected = ['5XX', ...(BODY_METHODS.has(method) ? ['400', '413', '415'] : []), ...(op.security?.length ? ['401', '403'] : [])];
      for (const c of expected) if (!op.responses[c]) wrong.push(`${at}: ${c} not documented`);
      for (const p of op.parameters ?? []) if (p.required && p.schema?.default !== undefined) wrong.push(`${at}: parameter ${p.name} has a default but is required`);
    }
    expect(wrong).toEqual([]);
    // Truthful but vague: routes that give no answer schema are described as any media type (src/http/openapi-truth.ts).
    const vague = operations().filter(({ op }) => op.responses['2XX']?.content?.['*/*']).map(({ method, path }) => `${method} ${path}`);
    if (vague.length > 0) console.info(`operations that document no success answer (${vague.length}): ${vague.join(', ')}`);
  });

  it('the Problem schema names every code of the catalogue, and the document says how a wrong method is answered', () => {
    const problem = doc.components.schemas.Problem as { properties: { code: { enum: string[] } } };
    expect(problem.properties.code.enum).toContain('method-not-allowed');
    expect(problem.properties.code.enum).toContain('unsupported-media-type');
    expect(JSON.stringify(doc)).toContain('405');
  });
});

describe('probes over every documented operation', () => {
  it('a protected operation called without credentials answers a documented 401 problem', async () => {
    const found: string[] = [];
    let probed = 0;
    for (const { method, path, op } of operations()) {
      if (!op.security?.length) continue;
      const res = await call(found, method, path, { params: {}, headers: BODY_METHODS.has(method) ? { 'content-type': 'application/json' } : {}, payload: BODY_METHODS.has(method) ? {} : undefined });
      probed++;
      if (res.statusCode !== 401) found.push(`${method} ${path}: ${res.statusCode} without credentials`);
      else if (res.json().code !== 'unauthenticated') found.push(`${method} ${path}: code ${res.json().code}`);
    }
    expect(probed).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });

  it('a staff role outside the security requirement answers a documented 403 problem', async () => {
    const found: string[] = [];
    const roles: TestRole[] = ['admin', 'clerk', 'official', 'partner_service'];
    let probed = 0;
    for (const { method, path, op } of operations()) {
      const staff = op.security?.find((r) => r.staffToken)?.staffToken;
      if (!staff) continue;
      const outsider = roles.find((r) => !staff.includes(r));
      if (!outsider) continue;
      const res = await call(found, method, path, { as: outsider, headers: BODY_METHODS.has(method) ? { 'content-type': 'application/json' } : {}, payload: BODY_METHODS.has(method) ? {} : undefined });
      probed++;
      if (res.statusCode !== 403) found.push(`${method} ${path}: ${res.statusCode} for ${outsider}`);
    }
    expect(probed).toBeGreaterThan(30);
    expect(found).toEqual([]);
  });

  it('an operation that reads a body answers a documented 415 to a media type it does not take', async () => {
    const found: string[] = [];
    let probed = 0;
    for (const { method, path, op } of operations()) {
      if (!BODY_METHODS.has(method)) continue;
      const staff = op.security?.find((r) => r.staffToken)?.staffToken;
      const as = !op.security?.length ? undefined : staff ? (staff.find((r) => r in t.tokens || r in bearers) as string | undefined) : op.security.some((r) => r.serviceKey) ? 'serviceKey' : null;
      if (as === null || (op.security?.length && as === undefined)) continue;
      const res = await call(found, method, path, { as, headers: { 'content-type': 'application/xml' }, payload: '<card/>' });
      probed++;
      if (res.statusCode !== 415) found.push(`${method} ${path}: ${res.statusCode} to application/xml`);
    }
    expect(probed).toBeGreaterThan(30);
    expect(found).toEqual([]);
  });

  it('a method a documented path does not have answers 405 with Allow naming the ones it has', async () => {
    const found: string[] = [];
    // A request path can match several templates (`/v1/events/{id}` takes `/v1/events/X1.ics`): Allow is their union.
    const templates = Object.entries(doc.paths).map(([path, item]) => ({
      pattern: new RegExp('^' + path.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+?') + '$'),
      methods: Object.keys(item).filter((m) => HTTP_METHODS.includes(m)).map((m) => m.toUpperCase()),
    }));
    for (const [path, item] of Object.entries(doc.paths)) {
      const op = Object.values(item)[0] as Op;
      const url = fill(path, op);
      const has = [...new Set(templates.filter((x) => x.pattern.test(url)).flatMap((x) => x.methods))];
      if (has.includes('GET')) has.push('HEAD');
      const probe = ['PUT', 'PATCH', 'DELETE', 'POST', 'GET'].find((m) => !has.includes(m))!;
      const res = await t.app.inject({ method: probe as 'GET', url, remoteAddress: nextAddress() });
      const allow = String(res.headers.allow ?? '').split(/,\s*/).filter(Boolean).sort();
      if (res.statusCode !== 405) found.push(`${probe} ${path}: ${res.statusCode}`);
      else if (res.json().code !== 'method-not-allowed' || !String(res.headers['content-type']).startsWith('application/problem+json')) found.push(`${probe} ${path}: ${res.body}`);
      else if (JSON.stringify(allow) !== JSON.stringify([...has].sort())) found.push(`${probe} ${path}: Allow ${allow} but the path has ${has}`);
    }
    expect(found).toEqual([]);
    const unknown = await t.app.inject({ method: 'PUT', url: '/v1/no-such-thing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
  });
});

describe('one flow per module, every answer as documented', () => {
  it('health, staff, service keys, audit', async () => {
    const found: string[] = [];
    await call(found, 'GET', '/healthz');
    await call(found, 'GET', '/readyz');
    await call(found, 'POST', '/v1/auth/login', { payload: { username: 'admin', password: 'wrong' } });
    await call(found, 'POST', '/v1/auth/login', { payload: { username: 'admin' } });
    await call(found, 'GET', '/v1/staff', { as: 'admin' });
    const created = await call(found, 'POST', '/v1/staff', { as: 'admin', payload: { username: 'reader', password: 'correct horse battery staple', role: 'official' } });
    await call(found, 'POST', '/v1/staff', { as: 'admin', payload: { username: 'reader', password: 'correct horse battery staple', role: 'official' } });
    await call(found, 'PATCH', '/v1/staff/{id}', { as: 'admin', params: { id: created.json().id }, payload: { disabled: true } });
    await call(found, 'PATCH', '/v1/staff/{id}', { as: 'admin', params: { id: randomUUID() }, payload: { disabled: true } });
    const key = await call(found, 'POST', '/v1/service-keys', { as: 'admin', payload: { name: 'Clinic', profile: 'name_photo_birthdate' } });
    await call(found, 'GET', '/v1/service-keys', { as: 'admin' });
    await call(found, 'DELETE', '/v1/service-keys/{id}', { as: 'admin', params: { id: key.json().id } });
    await call(found, 'DELETE', '/v1/service-keys/{id}', { as: 'admin', params: { id: randomUUID() } });
    // One's own password: an account of its own, so no token the other flows use is ended.
    await call(found, 'POST', '/v1/staff', { as: 'admin', payload: { username: 'changer', password: 'correct horse battery staple', role: 'clerk', mustChangePassword: true } });
    const signed = await call(found, 'POST', '/v1/auth/login', { payload: { username: 'changer', password: 'correct horse battery staple' } });
    bearers.changer = signed.json().accessToken;
    await call(found, 'POST', '/v1/auth/password', { as: 'changer', payload: { current: 'correct horse battery staple' } });
    await call(found, 'POST', '/v1/auth/password', { as: 'changer', payload: { current: 'not the password', next: 'a longer passphrase of mine' } });
    await call(found, 'POST', '/v1/auth/password', { as: 'changer', payload: { current: 'correct horse battery staple', next: 'correct horse battery staple' } });
    await call(found, 'POST', '/v1/auth/password', { as: 'changer', payload: { current: 'correct horse battery staple', next: 'a longer passphrase of mine' } });
    await call(found, 'GET', '/v1/audit', { as: 'admin' });
    await call(found, 'GET', '/v1/audit/verify', { as: 'admin' });
    expect(found).toEqual([]);
  });

  it('residents, cards, verification, keys and the resident portal', async () => {
    const found: string[] = [];
    await call(found, 'GET', '/v1/evidence-rules', { as: 'clerk' });
    const enrolled = await call(found, 'POST', '/v1/residents', { as: 'clerk', payload: REFERENCE_RESIDENT });
    const id = enrolled.json().resident.id as string;
    await call(found, 'POST', '/v1/residents', { as: 'clerk', payload: { ...REFERENCE_RESIDENT, names: { printed: 'x'.repeat(NAME_MAX + 1) } } });
    await call(found, 'POST', '/v1/residents', { as: 'clerk', headers: { 'content-type': 'application/json' }, payload: '{"names":' });
    await call(found, 'GET', '/v1/residents', { as: 'clerk', query: { q: 'Maria' } });
    const got = await call(found, 'GET', '/v1/residents/{id}', { as: 'clerk', params: { id } });
    await call(found, 'GET', '/v1/residents/{id}', { as: 'clerk', params: { id: randomUUID() } });
    await call(found, 'PATCH', '/v1/residents/{id}', { as: 'clerk', params: { id }, headers: { 'if-match': String(got.headers.etag ?? `"${got.json().version}"`) }, payload: { languages: ['pt'] } });
    await call(found, 'PATCH', '/v1/residents/{id}', { as: 'clerk', params: { id }, payload: { languages: ['pt'] } });
    await call(found, 'POST', '/v1/residents/{id}/cards', { as: 'clerk', params: { id } });
    await call(found, 'PUT', '/v1/residents/{id}/photo', { as: 'clerk', params: { id }, headers: { 'content-type': 'image/jpeg' }, payload: await cardPhoto() });
    await call(found, 'GET', '/v1/residents/{id}/photo', { as: 'clerk', params: { id } });
    const card = (await call(found, 'POST', '/v1/residents/{id}/cards', { as: 'clerk', params: { id } })).json();
    await call(found, 'GET', '/v1/residents/{id}/cards', { as: 'clerk', params: { id } });
    await call(found, 'GET', '/v1/cards/{number}', { as: 'clerk', params: { number: card.number } });
    await call(found, 'GET', '/v1/cards/{number}/pdf', { as: 'clerk', params: { number: card.number } });
    await call(found, 'POST', '/v1/cards/{number}/suspend', { as: 'clerk', params: { number: card.number }, payload: {} });
    await call(found, 'POST', '/v1/cards/{number}/suspend', { as: 'clerk', params: { number: card.number }, payload: {} });
    await call(found, 'POST', '/v1/cards/{number}/reinstate', { as: 'clerk', params: { number: card.number }, payload: {} });
    const list = await call(found, 'GET', '/v1/status-list');
    await call(found, 'GET', '/v1/status-list', { headers: { 'if-none-match': String(list.headers.etag) } });
    for (const as of ['official', 'serviceKey', 'partner_service']) await call(found, 'POST', '/v1/verify', { as, payload: { qr: card.qr } });
    await call(found, 'POST', '/v1/verify', { as: 'official', payload: { qr: 'NOT BASE45 ~' } });
    await call(found, 'POST', '/v1/verify', { as: 'official', payload: { qr: '' } });
    const bundle = await call(found, 'GET', '/v1/verifier-bundle');
    await call(found, 'GET', '/v1/verifier-bundle', { headers: { 'if-none-match': String(bundle.headers.etag) } });
    await call(found, 'GET', '/v1/verification-counts', { as: 'admin' });
    await call(found, 'GET', '/.well-known/jwks.json');
    const meta = await call(found, 'GET', '/.well-known/lcc-issuer');
    await call(found, 'GET', '/.well-known/lcc-issuer', { headers: { 'if-none-match': String(meta.headers.etag) } });
    await call(found, 'GET', '/v1/keys', { as: 'admin' });

    const claimed = await call(found, 'POST', '/v1/self/claim', { payload: { number: card.number, claimCode: card.claimCode, pin: '583920' } });
    await call(found, 'POST', '/v1/self/claim', { payload: { number: card.number, claimCode: card.claimCode, pin: '583920' } });
    bearers.resident = claimed.json().accessToken;
    await call(found, 'GET', '/v1/self/data', { as: 'resident' });
    await call(found, 'GET', '/v1/self/photo', { as: 'resident' });
    await call(found, 'GET', '/v1/self/card.pdf', { as: 'resident' });
    await call(found, 'POST', '/v1/self/proof', { as: 'resident' });

    await call(found, 'POST', '/v1/cards/{number}/revoke', { as: 'clerk', params: { number: card.number }, payload: { reason: 'lost' } });
    await call(found, 'GET', '/v1/cards/{number}', { as: 'clerk', params: { number: 'LCC-NOPE-0000' } });
    expect(found).toEqual([]);
  });

  it('federation, appointments and events', async () => {
    const found: string[] = [];
    await call(found, 'GET', '/v1/federation/partners', { as: 'admin' });
    await call(found, 'GET', '/v1/federation/partners/{id}', { as: 'admin', params: { id: randomUUID() } });
    const site = (await call(found, 'POST', '/v1/enrolment-sites', { as: 'admin', payload: SITE })).json();
    await call(found, 'POST', '/v1/enrolment-sites', { as: 'admin', payload: { ...SITE, desks: -1 } });
    await call(found, 'GET', '/v1/enrolment-sites');
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const slots = await call(found, 'GET', '/v1/enrolment-sites/{id}/slots', { params: { id: site.id }, query: { date: tomorrow } });
    await call(found, 'GET', '/v1/enrolment-sites/{id}/day', { as: 'clerk', params: { id: site.id }, query: { date: tomorrow } });
    await call(found, 'POST', '/v1/enrolment-sites/{id}/walk-ins', { as: 'clerk', params: { id: site.id } });
    const free = (slots.json().slots as Array<{ start: string; free?: number; available?: number }> | undefined)?.find((s) => (s.free ?? s.available ?? 1) > 0);
    const booked = await call(found, 'POST', '/v1/appointments', { payload: { siteId: site.id, start: free?.start ?? `${tomorrow}T09:00:00+01:00`, language: 'fr' } });
    if (booked.statusCode === 201) {
      const { reference, pin } = booked.json();
      await call(found, 'GET', '/v1/appointments/{reference}', { params: { reference }, headers: { 'appointment-pin': pin } });
      await call(found, 'GET', '/v1/appointments/{reference}/calendar.ics', { params: { reference }, headers: { 'appointment-pin': pin } });
      await call(found, 'DELETE', '/v1/appointments/{reference}', { params: { reference }, headers: { 'appointment-pin': pin } });
    }

    const event = await call(found, 'POST', '/v1/events', { as: 'organiser', payload: EVENT });
    await call(found, 'POST', '/v1/events', { as: 'organiser', payload: { ...EVENT, capacity: 'many' } });
    await call(found, 'GET', '/v1/events');
    await call(found, 'GET', '/v1/events/{id}/draw', { params: { id: randomUUID() } });
    await call(found, 'GET', '/v1/event-proposals', { as: 'organiser' });
    if (event.statusCode === 201) {
      await call(found, 'POST', '/v1/events/{id}/publish', { as: 'organiser', params: { id: event.json().id } });
      await call(found, 'GET', '/v1/events/{id}.ics', { params: { id: event.json().id } });
    }
    await call(found, 'GET', '/v1/events.ics');
    await call(found, 'GET', '/v1/events/{id}.ics', { params: { id: randomUUID() } });

    for (const path of ['/v1/network', '/v1/network.geojson', '/v1/partners', '/v1/partners.geojson', '/v1/offers']) {
      if (!doc.paths[path]) continue;
      const first = await call(found, 'GET', path);
      if (first.headers.etag) await call(found, 'GET', path, { headers: { 'if-none-match': String(first.headers.etag) } });
    }
    expect(found).toEqual([]);
  });

  it('benefits: the register, the public directory, a redemption at the counter, the counts', async () => {
    const found: string[] = [];
    const partner = await call(found, 'POST', '/v1/partners', { as: 'admin', payload: PARTNER });
    await call(found, 'POST', '/v1/partners', { as: 'admin', payload: { ...PARTNER, category: 'casino' } });
    const partnerId = partner.json().id as string;
    await call(found, 'PATCH', '/v1/partners/{id}', { as: 'admin', params: { id: partnerId }, payload: { acceptsCardAsId: true } });
    await call(found, 'PATCH', '/v1/partners/{id}', { as: 'admin', params: { id: randomUUID() }, payload: { acceptsCardAsId: true } });
    const offer = await call(found, 'POST', '/v1/partners/{id}/offers', { as: 'admin', params: { id: partnerId }, payload: { ...OFFER, limit: { per: 'once' } } });
    await call(found, 'POST', '/v1/partners/{id}/offers', { as: 'admin', params: { id: partnerId }, payload: { ...OFFER, kind: 'bribe' } });
    const offerId = offer.json().id as string;
    await call(found, 'PATCH', '/v1/offers/{id}', { as: 'admin', params: { id: offerId }, payload: { title: { en: 'A welcome gift' } } });
    const key = await call(found, 'POST', '/v1/service-keys', { as: 'admin', payload: { name: 'Museum counter', profile: 'name_and_photo', partnerId } });
    bearers.museum = key.json().secret;
    const card = await issue(t, await enrol(t));
    await call(found, 'POST', '/v1/verify', { as: 'museum', payload: { qr: card.qr } });
    await call(found, 'POST', '/v1/offers/{id}/redemptions', { as: 'museum', params: { id: offerId }, payload: { qr: card.qr } });
    await call(found, 'POST', '/v1/offers/{id}/redemptions', { as: 'museum', params: { id: offerId }, payload: { qr: card.qr } });
    await call(found, 'POST', '/v1/offers/{id}/redemptions', { as: 'museum', params: { id: offerId }, payload: { qr: 'NOT A CARD' } });
    await call(found, 'POST', '/v1/offers/{id}/redemptions', { as: 'museum', params: { id: randomUUID() }, payload: { qr: card.qr } });
    await call(found, 'GET', '/v1/benefits/redemption-counts', { as: 'admin' });
    await call(found, 'GET', '/v1/benefits/redemption-counts', { as: 'museum', query: { from: 'May' } });
    await call(found, 'GET', '/v1/partners', { query: { category: 'culture' } });
    await call(found, 'GET', '/v1/offers', { query: { limit: '0' } });
    await call(found, 'DELETE', '/v1/offers/{id}', { as: 'admin', params: { id: offerId } });
    await call(found, 'DELETE', '/v1/partners/{id}', { as: 'admin', params: { id: partnerId } });
    await call(found, 'DELETE', '/v1/partners/{id}', { as: 'admin', params: { id: randomUUID() } });
    expect(found).toEqual([]);
  });

  it('the flows reached the answers they are there for', () => {
    const expected = [
      'POST /v1/residents 201',
      'POST /v1/residents 400',
      'PATCH /v1/residents/{id} 200',
      'PATCH /v1/residents/{id} 428',
      'POST /v1/residents/{id}/cards 201',
      'POST /v1/residents/{id}/cards 409',
      'GET /v1/residents/{id}/photo 200',
      'GET /v1/cards/{number}/pdf 200',
      'POST /v1/cards/{number}/suspend 409',
      'GET /v1/status-list 200',
      'GET /v1/status-list 304',
      'POST /v1/verify 200',
      'POST /v1/verify 400',
      'GET /v1/verifier-bundle 304',
      'GET /.well-known/lcc-issuer 304',
      'POST /v1/self/claim 200',
      'GET /v1/self/card.pdf 200',
      'GET /v1/self/data 200',
      'POST /v1/events 201',
      'GET /v1/events.ics 200',
      'GET /v1/events/{id}.ics 200',
      'POST /v1/enrolment-sites 201',
      'GET /v1/enrolment-sites/{id}/slots 200',
      'POST /v1/staff 409',
      'DELETE /v1/service-keys/{id} 204',
      'POST /v1/auth/login 401',
      'POST /v1/partners 201',
      'POST /v1/partners 400',
      'POST /v1/partners/{id}/offers 201',
      'POST /v1/offers/{id}/redemptions 201',
      'POST /v1/offers/{id}/redemptions 409',
      'POST /v1/offers/{id}/redemptions 404',
      'DELETE /v1/partners/{id} 204',
      'POST /v1/auth/password 200',
      'POST /v1/auth/password 400',
      'POST /v1/auth/password 403',
      'POST /v1/auth/password 422',
    ];
    expect(expected.filter((k) => !covered.has(k))).toEqual([]);
  });
});

describe('429', () => {
  it('a route past its rate limit answers a documented 429 problem with Retry-After', async () => {
    const found: string[] = [];
    let last;
    for (let i = 0; i < 40; i++) {
      last = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'nobody-here', password: 'x' }, remoteAddress: '10.99.0.1' });
      if (last.statusCode === 429) break;
    }
    expect(last!.statusCode).toBe(429);
    expect(last!.headers['retry-after']).toBeDefined();
    found.push(...mismatches('POST', '/v1/auth/login', last!));
    expect(found).toEqual([]);
    const documented = operations().filter(({ op }) => op.responses['429']).length;
    expect(documented).toBe(operations().length);
  });
});

describe('schema limits are the server’s', () => {
  const enrolment = () => (doc.paths['/v1/residents']!.post!.requestBody!.content['application/json'] as { schema: { properties: Record<string, { properties?: Record<string, { maxLength?: number; anyOf?: Array<{ properties?: Record<string, { maxLength?: number }> }> }> }> } }).schema;

  it('the enrolment form documents the lengths names.ts and resident-record.ts enforce', () => {
    const s = enrolment();
    for (const k of ['printed', 'legal', 'original', 'transliteration']) expect(s.properties.names!.properties![k]!.maxLength, k).toBe(NAME_MAX);
    const gender = (s.properties.gender as { anyOf: Array<{ properties?: Record<string, { maxLength?: number }> }> }).anyOf.find((x) => x.properties)!.properties!;
    expect(gender.selfDescribed!.maxLength).toBe(TEXT_MAX.selfDescribed);
    expect(gender.pronouns!.maxLength).toBe(TEXT_MAX.pronouns);
    const address = (s.properties.address as { anyOf: Array<{ properties?: Record<string, { maxLength?: number }> }> }).anyOf.find((x) => x.properties)!.properties!;
    expect(address.line1!.maxLength).toBe(TEXT_MAX.line);
    expect(address.line2!.maxLength).toBe(TEXT_MAX.line);
    expect(address.postalCode!.maxLength).toBe(TEXT_MAX.postalCode);
    expect(address.locality!.maxLength).toBe(TEXT_MAX.locality);
    expect(address.careOf!.maxLength).toBe(TEXT_MAX.careOf);
  });

  it.each([
    ['names.legal', NAME_MAX, (v: string) => ({ names: { printed: 'Ana Lima', legal: v } })],
    ['gender.pronouns', TEXT_MAX.pronouns, (v: string) => ({ gender: { pronouns: v, printMarker: false } })],
    ['address.locality', TEXT_MAX.locality, (v: string) => ({ address: { line1: '1 rue Haute', locality: v } })],
  ])('%s: the documented maximum is accepted, one more is refused with 400 validation-failed', async (_name, max, part) => {
    const at = await enrol(t, { ...REFERENCE_RESIDENT, ...part('a'.repeat(max)) });
    expect(at).toMatch(/^[0-9a-f-]{36}$/);
    const over = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...REFERENCE_RESIDENT, ...part('a'.repeat(max + 1)) } });
    expect(over.statusCode).toBe(400);
    expect(over.json().code).toBe('validation-failed');
  });
});

describe('bad input from a caller the operation accepts', () => {
  // Last: some operations without a body schema act on an empty body (a key rotation), which the flows above must not see.
  it('an empty body and unknown ids get a documented answer, never a 5xx', async () => {
    const found: string[] = [];
    let probed = 0;
    for (const { method, path, op } of operations()) {
      const staff = op.security?.find((r) => r.staffToken)?.staffToken;
      const as = !op.security?.length ? undefined : staff ? (staff.find((r) => r in t.tokens || r in bearers) as string | undefined) : op.security.some((r) => r.serviceKey) ? 'serviceKey' : op.security.some((r) => r.residentSession) ? 'resident' : null;
      if (as === null || (op.security?.length && as === undefined)) continue;
      const body = BODY_METHODS.has(method) ? { headers: { 'content-type': 'application/json' }, payload: {} } : {};
      const unknownIds = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, randomUUID()]));
      for (const params of [{}, unknownIds]) {
        const res = await call(found, method, path, { as, params, ...body });
        probed++;
        if (res.statusCode >= 500) found.push(`${method} ${path}: ${res.statusCode} ${res.body}`);
      }
    }
    expect(probed).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});
