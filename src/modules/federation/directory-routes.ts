/** The world directory as this city holds it, and a sync now: the administrator's view (admin). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../http/schemas.js';
import type { DirectorySync } from './directory-sync.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const DirectoryView = Type.Object({
  configured: Type.Boolean(),
  url: Nullable(Type.String()),
  iat: Nullable(Type.Integer()),
  fetchedAt: Nullable(Type.String()),
  lastSyncAt: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  countries: Type.Array(
    Type.Object({
      country: Type.String(),
      fingerprint: Type.String(),
      trustListUrl: Type.String(),
      issuers: Type.Integer(),
      listIat: Nullable(Type.Integer()),
      listFetchedAt: Nullable(Type.String()),
      lastError: Nullable(Type.String()),
    }),
  ),
});

export async function directoryRoutes(base: FastifyInstance, opts: { directory: DirectorySync }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { directory } = opts;

  app.get(
    '/v1/federation/directory',
    {
      config: { access: ['admin'] },
      schema: { tags: ['federation'], summary: 'The world directory as last verified, and each national trust list it names (issuers, age, last error)', response: { 200: DirectoryView, ...authErrors } },
    },
    async () => directory.view(),
  );

  app.post(
    '/v1/federation/directory/sync',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['federation'],
        summary: 'Fetch the world directory and the national trust lists it names now (last good copies kept on failure; lastError says why); the partner sync then fetches the listed issuers',
        response: { 200: DirectoryView, ...authErrors },
      },
    },
    async () => directory.sync(),
  );
}
