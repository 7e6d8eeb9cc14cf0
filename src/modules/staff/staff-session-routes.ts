/**
 * Staff sessions over HTTP (logic in staff-session-service.ts). The refresh
 * token travels only in a cookie that page scripts cannot read (HttpOnly),
 * that no other site can make the browser send (SameSite=Strict), only over
 * HTTPS (Secure; browsers make an exception for localhost) and only to these
 * routes (Path=/v1/auth/session). The access token stays in the page's memory.
 * `POST /v1/auth/login` is unchanged for API clients: it sets no cookie.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemRef } from '../../http/schemas.js';
import type { Role } from './roles.js';
import { passwordChangeRequired, type StaffService } from './staff-service.js';
import type { SessionGrant, StaffSessionService } from './staff-session-service.js';

/** `__Secure-`: browsers accept it only with Secure, from a secure origin (RFC 6265bis §4.1.3.1). */
export const SESSION_COOKIE = '__Secure-lcc-staff-session';
export const SESSION_COOKIE_PATH = '/v1/auth/session';

const Grant = Type.Object({
  accessToken: Type.String(),
  /** Seconds the access token lasts; the page refreshes before then while the clerk is active. */
  expiresIn: Type.Integer(),
  role: Type.String(),
  username: Type.String(),
  /** Seconds without use after which the session ends (the page warns a minute before). */
  idleTimeout: Type.Integer(),
  /** A one-time password (first start, or set by an administrator as such): replace it with POST /v1/auth/password. */
  passwordChangeRequired: Type.Boolean(),
});

export async function staffSessionRoutes(base: FastifyInstance, opts: { staff: Pick<StaffService, 'login'>; sessions: StaffSessionService; accessTokenTtl: number; clock: () => Date }) {
  await base.register(cookie);
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions } = opts;

  function grant(reply: FastifyReply, g: SessionGrant) {
    reply.setCookie(SESSION_COOKIE, g.token, {
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      path: SESSION_COOKIE_PATH,
      maxAge: Math.max(1, Math.floor((g.familyExpiresAt.getTime() - opts.clock().getTime()) / 1000)),
    });
    return {
      accessToken: app.issueToken({ sub: g.staff.id, role: g.staff.role as Role, ver: g.staff.tokenVersion }),
      expiresIn: opts.accessTokenTtl,
      role: g.staff.role,
      username: g.staff.username,
      idleTimeout: Math.floor(sessions.idleMs / 1000),
      passwordChangeRequired: passwordChangeRequired(g.staff),
    };
  }
  const clear = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, { path: SESSION_COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'strict' });

  app.post(
    '/v1/auth/session',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in at the console: an access token, and a refresh token in an HttpOnly cookie that keeps the session alive while it is used',
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
        response: { 200: Grant, 400: ProblemRef, 401: ProblemRef, 429: ProblemRef },
      },
    },
    async (req, reply) => {
      const { staff } = await opts.staff.login(req.body.username, req.body.password, req.ip);
      return grant(reply, await sessions.start(staff));
    },
  );

  app.post(
    '/v1/auth/session/refresh',
    {
      config: { access: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'A new access token for the session in the cookie; the cookie’s token is replaced (a replaced token used again ends the session)',
        response: { 200: Grant, 401: ProblemRef, 429: ProblemRef },
      },
    },
    async (req, reply) => {
      try {
        return grant(reply, await sessions.refresh(req.cookies[SESSION_COOKIE]));
      } catch (err) {
        clear(reply);
        throw err;
      }
    },
  );

  app.delete(
    '/v1/auth/session',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Sign out: the session in the cookie ends', response: { 204: Type.Null() } },
    },
    async (req, reply) => {
      await sessions.end(req.cookies[SESSION_COOKIE]);
      clear(reply);
      return reply.code(204).send(null);
    },
  );
}
