/** GET /v1/network and /v1/network.geojson: the map of the network (public, CORS open: other cities' sites and map tools read it). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemRef } from '../../http/schemas.js';
import type { NetworkService } from './network-service.js';

const Country = Type.String({ pattern: '^[A-Z]{2}$' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Profile = {
  website: Type.Optional(Type.String()),
  since: Type.Optional(Type.String()),
  languages: Type.Optional(Type.Array(Type.String())),
  receptionActions: Type.Optional(Type.Record(Type.String(), Type.String())),
  offersCount: Type.Optional(Type.Integer()),
  nextWelcomingWeek: Type.Optional(Type.Object({ name: Type.String(), startsOn: Day, endsOn: Day })),
};
const CityFields = {
  id: Type.String(),
  name: Type.String(),
  country: Type.String(),
  source: Type.Union([Type.Literal('self'), Type.Literal('manual'), Type.Literal('trust_list'), Type.Literal('directory')]),
  recognised: Type.Boolean(),
  verified: Type.Boolean(),
  knownSince: Type.Optional(Type.String()),
  ...Profile,
};
const NetworkCity = Type.Object({ ...CityFields, coordinates: Type.Optional(Type.Object({ lat: Type.Number(), lon: Type.Number() })) });
const Feature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }) }),
  properties: Type.Object(CityFields),
});
const FeatureCollection = Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Feature) });

export async function networkRoutes(base: FastifyInstance, opts: { network: NetworkService }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['network'];

  app.get(
    '/v1/network',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The cities this city knows (itself, partners, its national trust list, the world directory) with the public fields each publishes in its signed metadata; keyset pages (?after=<next>)',
        querystring: Type.Object(
          { country: Type.Optional(Country), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }), after: Type.Optional(Type.String({ maxLength: 40 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ city: Type.String(), name: Type.String(), country: Type.String(), items: Type.Array(NetworkCity), next: Type.Optional(Type.String()) }), 400: ProblemRef },
      },
    },
    async (req, reply) => {
      reply.header('access-control-allow-origin', '*');
      return opts.network.list(req.query);
    },
  );

  app.get(
    '/v1/network.geojson',
    {
      config: { access: 'public', openapi: { response: { 200: { description: 'An RFC 7946 FeatureCollection', content: { 'application/geo+json': { schema: FeatureCollection } } } } } },
      schema: {
        tags,
        summary: 'The same cities as an RFC 7946 GeoJSON FeatureCollection of points (those that publish coordinates)',
        querystring: Type.Object({ country: Type.Optional(Country) }, { additionalProperties: false }),
        response: { 200: FeatureCollection, 400: ProblemRef },
      },
    },
    async (req, reply) => {
      reply.header('access-control-allow-origin', '*').type('application/geo+json');
      return opts.network.geojson(req.query);
    },
  );
}
