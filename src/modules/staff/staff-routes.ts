/** Login, staff accounts and service keys (HTTP only; logic in staff-service). */
import type { FastifyInstance } from 'fastify';
import type { StaffRow } from './staff-repository.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, ProblemRef, Uuid } from '../../http/schemas.js';
import { PROFILES, ROLES } from './roles.js';
import { passwordChangeRequired, type StaffService } from './staff-service.js';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const ProfileT = Type.Union(PROFILES.map((p) => Type.Literal(p)));
const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' });
/** NIST SP 800-63B: at least 8 characters for a chosen secret; we ask 12 for staff. Capped to bound hashing work. */
const Password = Type.String({ minLength: 12, maxLength: 256 });

const StaffView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: Type.String(),
  profile: Type.Union([Type.String(), Type.Null()]),
  partnerId: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  passwordChangeRequired: Type.Boolean({ description: 'The password is a one-time one: the console asks the holder for a new one at sign-in' }),
  createdAt: Type.String(),
});
const MustChange = Type.Optional(Type.Boolean({ description: 'The password is a one-time one: its holder must choose their own at the next sign-in (POST /v1/auth/password)' }));
const SignedIn = Type.Object({
  accessToken: Type.String(),
  expiresIn: Type.Integer(),
  role: Type.String(),
  /** A one-time password (first start, or set by an administrator as such): replace it with POST /v1/auth/password. */
  passwordChangeRequired: Type.Boolean(),
});
const ServiceKeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  profile: Type.String(),
  partnerId: Type.Union([Type.String(), Type.Null()]),
  prefix: Type.String(),
  revoked: Type.Boolean(),
  createdAt: Type.String(),
});

export async function staffRoutes(base: FastifyInstance, opts: { staff: StaffService }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { staff } = opts;
  const signedIn = (row: StaffRow) => ({
    accessToken: app.issueToken({ sub: row.id, role: row.role as 'admin', ver: row.tokenVersion }),
    expiresIn: app.jwt.options.sign.expiresIn as number,
    role: row.role,
    passwordChangeRequired: passwordChangeRequired(row),
  });
  const actorOf = (req: { actor: { type: string; id: string } | null }) => ({ type: req.actor!.type as 'admin', id: req.actor!.id });

  app.post(
    '/v1/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in as staff; returns a short-lived access token',
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
        response: { 200: SignedIn, 400: ProblemRef, 401: ProblemRef, 429: ProblemRef },
      },
    },
    async (req) => signedIn((await staff.login(req.body.username, req.body.password, req.ip)).staff),
  );

  app.post(
    '/v1/auth/password',
    {
      // Every staff role has a password of its own; service keys and residents do not.
      config: { access: ROLES, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password: the current one is checked like a sign-in (same lock), your other sessions end, and a new access token is returned',
        body: Type.Object({ current: Type.String({ minLength: 1, maxLength: 256 }), next: Password }, { additionalProperties: false }),
        response: { 200: SignedIn, 400: ProblemRef, 422: ProblemRef, 429: ProblemRef, ...authErrors },
      },
    },
    async (req) => signedIn((await staff.changeOwnPassword({ type: req.actor!.type as 'admin', id: req.actor!.id }, req.body, req.ip)).staff),
  );

  app.post(
    '/v1/staff',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['staff'],
        body: Type.Object({ username: Username, password: Password, role: Role, profile: Type.Optional(ProfileT), partnerId: Type.Optional(Uuid), mustChangePassword: MustChange }, { additionalProperties: false }),
        response: { 201: StaffView, 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => reply.code(201).send(await staff.create(actorOf(req), req.body)),
  );

  app.get(
    '/v1/staff',
    { config: { access: ['admin'] }, schema: { tags: ['staff'], response: { 200: Type.Object({ items: Type.Array(StaffView) }), ...authErrors } } },
    async () => ({ items: await staff.list() }),
  );

  app.patch(
    '/v1/staff/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['staff'],
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          { role: Type.Optional(Role), profile: Type.Optional(ProfileT), partnerId: Type.Optional(Type.Union([Type.Null(), Uuid])), disabled: Type.Optional(Type.Boolean()), password: Type.Optional(Password), mustChangePassword: MustChange },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: StaffView, 400: ProblemRef, 404: ProblemRef, 409: ProblemRef, ...authErrors },
      },
    },
    async (req) => staff.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/v1/service-keys',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['staff'],
        summary: 'Create a key for a partner service; the secret is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            profile: ProfileT,
            partnerId: Type.Optional(Type.String({ format: 'uuid', description: 'The partner organisation the key acts for: its offers at the counter, its redemptions (src/modules/benefits)' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Intersect([ServiceKeyView, Type.Object({ secret: Type.String() })]), 400: ProblemRef, 404: ProblemRef, ...authErrors },
      },
    },
    async (req, reply) => reply.code(201).send(await staff.createServiceKey(actorOf(req), req.body)),
  );

  app.get(
    '/v1/service-keys',
    { config: { access: ['admin'] }, schema: { tags: ['staff'], response: { 200: Type.Object({ items: Type.Array(ServiceKeyView) }), ...authErrors } } },
    async () => ({ items: await staff.listServiceKeys() }),
  );

  app.delete(
    '/v1/service-keys/:id',
    { config: { access: ['admin'] }, schema: { tags: ['staff'], params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), 404: ProblemRef, ...authErrors } } },
    async (req, reply) => {
      await staff.revokeServiceKey(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
