/** PATCH /v1/self/road: the holder's own choices for the road (issue 19) — emergency contact, rights panel. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import { EmergencyContactBody } from '../residents/residents-schemas.js';
import type { SelfServiceService } from './self-service-service.js';

const RoadView = Type.Object({
  emergencyContact: Type.Optional(Type.Object({ name: Type.Optional(Type.String()), phone: Type.String(), print: Type.Boolean() })),
  printRightsPanel: Type.Boolean(),
});

export async function selfRoadRoutes(base: FastifyInstance, opts: { self: SelfServiceService }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.patch(
    '/v1/self/road',
    {
      config: { access: ['resident'] },
      schema: {
        tags: ['resident portal'],
        summary:
          'Your card for the road: set, change or remove (null) an emergency contact, and choose whether the card prints it (print) and the "rights and help" panel; download the card again to print them. Never in the QR code; erased with your record.',
        body: Type.Object({ emergencyContact: Type.Optional(Type.Union([EmergencyContactBody, Type.Null()])), printRightsPanel: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: RoadView, 400: ProblemRef, 404: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await opts.self.road(req.actor!.id, req.body)),
  );
}
