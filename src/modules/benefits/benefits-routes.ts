/** Benefits over HTTP (logic in benefits-service and redemption-service); the route × role table is in README.md. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import { MAX_QR_TEXT_LENGTH } from '../../credential/index.js';
import { gzipSync } from 'node:zlib';
import { acceptsGzip, ifNoneMatchHits } from '../cards/etag.js';
import type { Actor } from '../audit/audit-service.js';
import { etagOf, type BenefitsService } from './benefits-service.js';
import type { RedemptionService } from './redemption-service.js';
import type { HolderAgesService } from './holder-ages-service.js';
import { partnerCallerOf } from './counter-hook.js';
import { CountsView, GeoQuery, HolderAgesView, OfferBody, OfferPatchBody, OfferQuery, OfferView, Paged, PartnerBody, PartnerPatchBody, PartnerQuery, PartnerView, RedemptionView } from './benefits-schemas.js';
import { NOT_MODIFIED } from '../../http/openapi-truth.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, ...authErrors };
const actorOf = (req: FastifyRequest): Actor => ({ type: req.actor!.type as Actor['type'], id: req.actor!.id });
const ADMIN = ['admin'] as const;
const PARTNER = ['partner_service', 'service_key'] as const;
const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' });
const OffersPage = Type.Object({ ...Paged(OfferView).properties, cityLanguage: Type.String() });

/**
 * A public directory document: open to any origin (a city's own map, a
 * partner's site), revalidated on every use with a strong ETag of its bytes.
 */
function sendPublic(cache: Map<string, Buffer>, req: FastifyRequest, reply: FastifyReply, value: unknown, type = 'application/json; charset=utf-8') {
  const body = JSON.stringify(value);
  const etag = etagOf(body);
  reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', 'etag').header('cache-control', 'public, no-cache').header('etag', etag).header('vary', 'accept-encoding');
  if (ifNoneMatchHits(req.headers['if-none-match'], etag)) return reply.code(304).send();
  // Gzipped: a page of offers or the accepted-as-ID list is 25–70 KB of JSON, a fifth of that compressed (bench/offers-page.ts).
  if (body.length > 1024 && acceptsGzip(req.headers['accept-encoding'])) return reply.type(type).header('content-encoding', 'gzip').send(gzipped(cache, etag, body));
  return reply.type(type).send(body);
}

/** The directory changes seldom and is asked often: its last few documents are kept compressed, by ETag. */
function gzipped(compressed: Map<string, Buffer>, etag: string, body: string): Buffer {
  let gz = compressed.get(etag);
  if (!gz) {
    gz = gzipSync(body, { level: 6 });
    if (compressed.size >= 64) compressed.delete(compressed.keys().next().value!);
    compressed.set(etag, gz);
  }
  return gz;
}

export async function benefitsRoutes(base: FastifyInstance, opts: { benefits: BenefitsService; redemptions: RedemptionService; holderAges: HolderAgesService; lang?: string }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { benefits, redemptions, holderAges } = opts;
  const gzCache = new Map<string, Buffer>();
  const tags = ['benefits'];
  const page = (q: { limit?: number; offset?: number }) => ({ limit: q.limit ?? 50, offset: q.offset ?? 0 });

  // The public directory: no account, no cookie, open CORS.
  app.get(
    '/v1/partners',
    { config: { access: 'public', openapi: { response: { 304: NOT_MODIFIED } } }, schema: { tags, summary: 'Partner organisations, and the places that accept the card as ID (acceptsCardAsId=true)', querystring: PartnerQuery, response: { 200: Paged(PartnerView), 400: ProblemRef } } },
    async (req, reply) => sendPublic(gzCache, req, reply, await benefits.listPartners(req.query, page(req.query))),
  );
  app.get(
    '/v1/partners.geojson',
    { config: { access: 'public', openapi: { response: { 200: { description: 'An RFC 7946 FeatureCollection of points', content: { 'application/geo+json': { schema: { type: 'object', required: ['type', 'features'], properties: { type: { const: 'FeatureCollection' }, features: { type: 'array' } } } } } }, 304: NOT_MODIFIED } } }, schema: { tags, summary: 'Partners’ addresses with coordinates as an RFC 7946 FeatureCollection, for a map', querystring: GeoQuery } },
    async (req, reply) => sendPublic(gzCache, req, reply, await benefits.geojson(req.query), 'application/geo+json; charset=utf-8'),
  );
  app.get(
    '/v1/offers',
    { config: { access: 'public', openapi: { response: { 304: NOT_MODIFIED } } }, schema: { tags, summary: 'Offers of live partners that are valid today or later; cityLanguage is the language a text missing in the reader’s falls back to', querystring: OfferQuery, response: { 200: OffersPage, 400: ProblemRef } } },
    async (req, reply) => sendPublic(gzCache, req, reply, { ...(await benefits.listOffers({ ...req.query, partnerId: req.query.partner }, page(req.query))), cityLanguage: opts.lang ?? 'en' }),
  );

  // The administrators' register.
  app.post('/v1/partners', { config: { access: ADMIN }, schema: { tags, body: PartnerBody, response: { 201: PartnerView, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await benefits.createPartner(actorOf(req), req.body as never)),
  );
  app.patch('/v1/partners/:id', { config: { access: ADMIN }, schema: { tags, params: Id, body: PartnerPatchBody, response: { 200: PartnerView, ...errors } } }, async (req) =>
    benefits.updatePartner(actorOf(req), req.params.id, req.body as never),
  );
  app.delete('/v1/partners/:id', { config: { access: ADMIN }, schema: { tags, summary: 'Retire a partner (it leaves the directory; its counts stay)', params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await benefits.retirePartner(actorOf(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.post('/v1/partners/:id/offers', { config: { access: ADMIN }, schema: { tags, params: Id, body: OfferBody, response: { 201: OfferView, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await benefits.createOffer(actorOf(req), req.params.id, req.body as never)),
  );
  app.patch('/v1/offers/:id', { config: { access: ADMIN }, schema: { tags, params: Id, body: OfferPatchBody, response: { 200: OfferView, ...errors } } }, async (req) =>
    benefits.updateOffer(actorOf(req), req.params.id, req.body as never),
  );
  app.delete('/v1/offers/:id', { config: { access: ADMIN }, schema: { tags, summary: 'Retire an offer', params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await benefits.retireOffer(actorOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  // At the counter.
  app.post(
    '/v1/offers/:id/redemptions',
    {
      config: { access: PARTNER },
      schema: {
        tags,
        summary: 'Redeem an offer for the card whose QR text is given: 201, 409 offer-already-redeemed (with availableAgain), 422 when the card is not valid (with result). Limited offers need the partner’s service key.',
        params: Id,
        body: Type.Object({ qr: Type.String({ minLength: 1, maxLength: MAX_QR_TEXT_LENGTH }) }, { additionalProperties: false }),
        response: { 201: RedemptionView, 422: ProblemRef, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await redemptions.redeem(partnerCallerOf(req), req.params.id, req.body.qr)),
  );

  // Numbers without people.
  app.get(
    '/v1/benefits/holder-ages',
    {
      config: { access: ADMIN },
      schema: {
        tags,
        summary: 'Holders of a card in force by age band, as of the first day of the city month; bands under 10 are null ("fewer than 10"), a partial birth date that spans two bands counts as unknown',
        response: { 200: HolderAgesView, ...authErrors },
      },
    },
    async () => holderAges.ages(),
  );
  app.get(
    '/v1/benefits/redemption-counts',
    {
      config: { access: ['admin', ...PARTNER] },
      schema: {
        tags,
        summary: 'Redemptions per offer and month (city time zone); under 10 shown as count null, fewerThan 10. A partner sees its own offers, the city all.',
        querystring: Type.Object({ from: Type.Optional(Month), to: Type.Optional(Month) }, { additionalProperties: false }),
        response: { 200: CountsView, 400: ProblemRef, ...authErrors },
      },
    },
    async (req) => {
      const actor = req.actor!;
      // A verifier that belongs to no partner organisation has no offers to count.
      if (actor.type !== 'admin' && !actor.partnerId) return { items: [] };
      return redemptions.counts({ ...req.query, ...(actor.type === 'admin' ? {} : { partnerId: actor.partnerId }) });
    },
  );
}
