/** Issuing, reading, printing and transitioning cards; the public status list. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef, Uuid } from '../../http/schemas.js';
import { LANGUAGES, type Language } from '../../i18n/languages.js';
import type { Actor } from '../audit/audit-service.js';
import type { CardPdf } from './card-pdf.js';
import { CARD_ACTIONS } from './card-states.js';
import type { CardsService } from './cards-service.js';
import { acceptsGzip, ifNoneMatchHits } from './etag.js';

import { type StatusListService } from './status-list-service.js';
import { mediaAnswer, NOT_MODIFIED } from '../../http/openapi-truth.js';

const CardView = Type.Object({
  number: Type.String(),
  status: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  residentId: Type.Union([Type.String(), Type.Null()]),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
  expired: Type.Boolean(),
  kid: Type.String(),
  previousNumber: Type.Optional(Type.String()),
});
/** `portalUrl`: where the receipt sends the holder (PUBLIC_URL + /me). */
const IssuedCard = Type.Intersect([CardView, Type.Object({ qr: Type.String(), claimCode: Type.String(), portalUrl: Type.String() })]);
const NumberParam = Type.Object({ number: Type.String({ minLength: 1, maxLength: 32 }) });
/** Cards are a clerk's work; administrators manage staff and keys, not residents (least privilege). */
const CLERKS = ['clerk'] as const;

export async function cardsRoutes(base: FastifyInstance, opts: { cards: CardsService; statusList: StatusListService; pdf: CardPdf; publicUrl?: string }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { cards, statusList, pdf } = opts;
  // The receipt's portal address is the city's PUBLIC_URL, not whatever address the desk reaches the server by.
  const portalUrl = `${(opts.publicUrl ?? base.services.config.publicUrl).replace(/\/$/, '')}/me`;
  const withPortal = <C extends object>(c: C) => ({ ...c, portalUrl });
  const actorOf = (req: { actor: { type: string; id: string } | null }): Actor => ({ type: req.actor!.type as Actor['type'], id: req.actor!.id });

  app.post(
    '/v1/residents/:id/cards',
    {
      config: { access: CLERKS },
      schema: {
        tags: ['cards'],
        summary: 'Issue a card (201 with its QR text and the one-time claim code for the receipt)',
        params: Type.Object({ id: Uuid }),
        response: { 201: IssuedCard, 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => reply.code(201).send(withPortal(await cards.issue(actorOf(req), req.params.id))),
  );

  app.get(
    '/v1/residents/:id/cards',
    {
      config: { access: CLERKS },
      schema: {
        tags: ['cards'],
        summary: "A resident's cards, newest first (the console's card list; a record alone does not say its card numbers)",
        params: Type.Object({ id: Uuid }),
        response: { 200: Type.Object({ items: Type.Array(CardView) }), 400: ProblemRef, ...authErrors },
      },
    },
    async (req) => ({ items: await cards.forResident(req.params.id) }),
  );

  app.get(
    '/v1/cards/:number',
    {
      config: { access: CLERKS },
      schema: { tags: ['cards'], params: NumberParam, response: { 200: Type.Intersect([CardView, Type.Object({ qr: Type.String() })]), 400: ProblemRef, 404: ProblemRef, 410: ProblemRef, ...authErrors } },
    },
    async (req) => cards.get(req.params.number),
  );

  app.get(
    '/v1/cards/:number/pdf',
    {
      config: { access: CLERKS, openapi: { response: { 200: mediaAnswer('application/pdf', 'The card, a PDF to print') } } },
      schema: {
        tags: ['cards'],
        summary: 'The card as PDF: two ID-1 pages (front, back), or an A4 sheet with crop marks',
        params: NumberParam,
        querystring: Type.Object(
          { lang: Type.Optional(Type.Union(LANGUAGES.map((l) => Type.Literal(l)))), layout: Type.Union([Type.Literal('card'), Type.Literal('sheet')], { default: 'card' }) },
          { additionalProperties: false },
        ),
        response: { 400: ProblemRef, 404: ProblemRef, 410: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => {
      const { claims, qr, subject } = await cards.printable(req.params.number);
      const body = await pdf.render({ claims, qr, subject, lang: req.query.lang as Language | undefined, layout: req.query.layout });
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="card-${claims.number}.pdf"`)
        .send(body);
    },
  );

  for (const action of CARD_ACTIONS) {
    const needsReason = action === 'revoke' || action === 'replace';
    app.post(
      `/v1/cards/:number/${action}`,
      {
        config: { access: CLERKS },
        schema: {
          tags: ['cards'],
          params: NumberParam,
          body: Type.Optional(Type.Object({ reason: needsReason ? Type.String({ minLength: 1, maxLength: 32 }) : Type.Optional(Type.String({ minLength: 1, maxLength: 32 })) }, { additionalProperties: false })),
          response: {
            200: Type.Object({ card: CardView, newCard: Type.Optional(IssuedCard) }),
            400: ProblemRef,
            404: ProblemRef,
            409: ProblemRef,
            /** The holder was erased: only the card's revoked slot remains (`card-erased`). */
            410: ProblemRef,
            ...authErrors,
          },
        },
      },
      async (req) => {
        const { card, newCard } = await cards.transition(actorOf(req), req.params.number, action, (req.body as { reason?: string } | undefined)?.reason);
        return { card, ...(newCard ? { newCard: withPortal(newCard) } : {}) };
      },
    );
  }

  app.post(
    '/v1/cards/:number/claim-code',
    {
      config: { access: CLERKS },
      schema: {
        tags: ['cards'],
        summary: 'A new one-time claim code for a live card (the previous one stops working); print it on a fresh receipt',
        params: NumberParam,
        response: {
          201: Type.Object({ number: Type.String(), claimCode: Type.String(), claimCodeExpiresAt: Type.String(), portalUrl: Type.String() }),
          400: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          410: ProblemRef,
          ...authErrors,
        },
      },
    },
    async (req, reply) => reply.code(201).send(withPortal(await cards.newClaimCode(actorOf(req), req.params.number))),
  );

  app.get(
    '/v1/status-list',
    {
      config: { access: 'public', openapi: { response: { 200: mediaAnswer('application/statuslist+jwt', 'The status list: a compact JWT (gzip when asked)', 'text'), 304: NOT_MODIFIED } } },
      schema: { tags: ['federation'], summary: 'The signed status list (IETF Token Status List JWT, 2 bits per card; its sub is the URL cards carry): weak ETag compared as RFC 9110 says, gzip when asked' },
    },
    async (req, reply) => {
      const list = await statusList.current();
      reply
        .header('access-control-allow-origin', '*')
        // Revalidated on every use (ETag, 304 when unchanged): a change of status is seen by the next online check.
        .header('cache-control', 'public, no-cache')
        .header('etag', list.etag)
        .header('vary', 'accept-encoding');
      if (ifNoneMatchHits(req.headers['if-none-match'], list.etag)) return reply.code(304).send();
      reply.type('application/statuslist+jwt');
      if (acceptsGzip(req.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(list.gzip);
      return reply.send(list.jwt);
    },
  );
}
