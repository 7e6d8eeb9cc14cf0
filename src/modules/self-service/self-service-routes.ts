/** The resident portal's API: claim, sign in, own card, own data, proof, erasure. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import { LANGUAGES, type Language } from '../../i18n/languages.js';
import type { CardPdf } from '../cards/card-pdf.js';
import type { SelfServiceService } from './self-service-service.js';
import { mediaAnswer } from '../../http/openapi-truth.js';

/** A PIN of at least 6 digits, or a passphrase of at least 8 characters. */
const Pin = Type.String({ minLength: 6, maxLength: 128, pattern: '^(\\d{6,12}|.{8,128})$' });
const CardNumber = Type.String({ minLength: 10, maxLength: 16 });
const Session = Type.Object({ accessToken: Type.String(), expiresIn: Type.Integer() });
const RESIDENT = ['resident'] as const;
/** Guessing claim codes or PINs: few tries per address, on top of the per-account lockout. */
const TIGHT = { max: 10, timeWindow: '1 minute' };

export async function selfServiceRoutes(base: FastifyInstance, opts: { self: SelfServiceService; pdf: CardPdf; sessionTtl: number }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { self, pdf } = opts;
  const session = (account: { id: string; tokenVersion: number }) => ({
    accessToken: app.issueToken({ sub: account.id, role: 'resident', ver: account.tokenVersion }, opts.sessionTtl),
    expiresIn: opts.sessionTtl,
  });

  app.post(
    '/v1/self/claim',
    {
      config: { access: 'public', rateLimit: TIGHT },
      schema: {
        tags: ['resident portal'],
        summary: 'Claim your card with the one-time code from your enrolment receipt, and choose a PIN or passphrase',
        body: Type.Object({ number: CardNumber, claimCode: Type.String({ minLength: 8, maxLength: 16 }), pin: Pin }, { additionalProperties: false }),
        response: { 200: Session, 400: ProblemRef, 401: ProblemRef, 410: ProblemRef, 429: ProblemRef },
      },
    },
    async (req) => session(await self.claim(req.body)),
  );

  app.post(
    '/v1/self/login',
    {
      config: { access: 'public', rateLimit: TIGHT },
      schema: {
        tags: ['resident portal'],
        body: Type.Object({ number: CardNumber, pin: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
        response: { 200: Session, 400: ProblemRef, 401: ProblemRef, 410: ProblemRef, 429: ProblemRef },
      },
    },
    async (req) => session(await self.login(req.body)),
  );

  app.get(
    '/v1/self/data',
    {
      // The answer's shape is SelfData (self-service-service.ts), serialised as is.
      config: { access: RESIDENT, openapi: { response: { 200: { description: 'Everything the city holds on you', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      schema: { tags: ['resident portal'], summary: 'Everything the city holds on you', response: { ...authErrors } },
    },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await self.data(req.actor!.id)),
  );

  app.get(
    '/v1/self/photo',
    { config: { access: RESIDENT, openapi: { response: { 200: mediaAnswer('image/jpeg', 'Your photo') } } }, schema: { tags: ['resident portal'], response: { 404: ProblemRef, ...authErrors } } },
    async (req, reply) => reply.header('cache-control', 'no-store').type('image/jpeg').send(await self.photo(req.actor!.id)),
  );

  app.get(
    '/v1/self/card.pdf',
    {
      config: { access: RESIDENT, openapi: { response: { 200: mediaAnswer('application/pdf', 'Your card, a PDF to print') } } },
      schema: {
        tags: ['resident portal'],
        summary: 'Your card as PDF, in the language you choose',
        querystring: Type.Object(
          { lang: Type.Optional(Type.Union(LANGUAGES.map((l) => Type.Literal(l)))), layout: Type.Union([Type.Literal('card'), Type.Literal('sheet')], { default: 'card' }) },
          { additionalProperties: false },
        ),
        response: { 400: ProblemRef, 404: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => {
      const { claims, qr, subject } = await self.card(req.actor!.id);
      const body = await pdf.render({ claims, qr, subject, lang: req.query.lang as Language | undefined, layout: req.query.layout });
      return reply.type('application/pdf').header('cache-control', 'no-store').header('content-disposition', 'attachment; filename="my-card.pdf"').send(body);
    },
  );

  app.post(
    '/v1/self/proof',
    {
      config: { access: RESIDENT },
      schema: {
        tags: ['resident portal'],
        summary: 'A short-lived QR proving only "valid card holder of this city" — no name, no birth date, no card number',
        response: { 200: Type.Object({ qr: Type.String(), validUntil: Type.String() }), 409: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await self.proof(req.actor!.id)),
  );

  app.delete(
    '/v1/self',
    {
      config: { access: RESIDENT },
      schema: {
        tags: ['resident portal'],
        summary: 'Erase yourself: your record, photo and portal access are deleted and your card stops working. Send {"confirm": true}.',
        body: Type.Object({ confirm: Type.Boolean() }, { additionalProperties: false }),
        response: { 204: Type.Null(), 400: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => {
      if (req.body.confirm !== true) throw new AppError('confirmation-required');
      await self.erase(req.actor!.id);
      return reply.code(204).send(null);
    },
  );
}
