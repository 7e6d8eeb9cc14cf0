/**
 * Who is calling, and may they. Every route declares `config.access`:
 * `'public'` or the principals allowed. A route without it fails at start-up,
 * so no route can be added open by mistake; `app.routeAccess` lists them all
 * (test/api/roles.test.ts checks it against its own table).
 *
 * Principals: staff roles from a short-lived HS256 JWT (algorithm pinned; key
 * derived from MASTER_KEY), `service_key` from `Authorization: Bearer
 * lcc_sk_…`, `resident` from a resident-portal session token. A token stops
 * working as soon as its account is disabled or its rights change (the token
 * carries the account's token version).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import type { Profile, Role } from '../modules/staff/roles.js';
import type { StaffService } from '../modules/staff/staff-service.js';

/** `operator`: the metrics scraper, known by METRICS_TOKEN; it may read `/metrics` and nothing else. */
export type Principal = Role | 'service_key' | 'resident' | 'operator';
export type Access = 'public' | readonly Principal[];

export interface RequestActor {
  type: Principal;
  id: string;
  /** Disclosure profile for partner services and service keys. */
  profile?: Profile;
  /** The partner organisation a `partner_service` account or a service key acts for (src/modules/benefits). */
  partnerId?: string;
}

export interface TokenClaims {
  sub: string;
  role: Role | 'resident';
  ver: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: RequestActor | null;
  }
  interface FastifyInstance {
    routeAccess: Array<{ method: string; url: string; access: Access }>;
    issueToken(claims: TokenClaims, expiresInSeconds?: number): string;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

export interface AuthOptions {
  secret: Buffer;
  accessTokenTtl: number;
  staff: Pick<StaffService, 'activeStaff' | 'authenticateServiceKey'>;
  /** Records a refused authorisation (a known caller without the right), for the audit log. */
  onForbidden?: (actor: RequestActor, route: string) => Promise<void>;
  /** Whether a resident session (account id, token version) is still live. */
  residentSessionActive?: (id: string, ver: number) => Promise<boolean>;
  /** METRICS_TOKEN: a bearer that names the `operator` principal. */
  metricsToken?: string;
}

/** Equal in constant time (both sides hashed first, so lengths do not show either). */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

const ALGORITHM = 'HS256';

async function authenticate(request: FastifyRequest, opts: AuthOptions): Promise<RequestActor | null> {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new AppError('token-invalid');
  const token = m[1]!;
  if (opts.metricsToken && sameSecret(token, opts.metricsToken)) return { type: 'operator', id: 'metrics' };
  if (token.startsWith('lcc_sk_')) {
    const key = await opts.staff.authenticateServiceKey(token);
    if (!key) throw new AppError('service-key-invalid');
    return { type: 'service_key', id: key.id, profile: key.profile as Profile, ...(key.partnerId ? { partnerId: key.partnerId } : {}) };
  }
  let claims: TokenClaims;
  try {
    claims = await request.jwtVerify<TokenClaims>();
  } catch {
    throw new AppError('token-invalid');
  }
  if (typeof claims.sub !== 'string' || typeof claims.ver !== 'number') throw new AppError('token-invalid');
  if (claims.role === 'resident') {
    if (!opts.residentSessionActive || !(await opts.residentSessionActive(claims.sub, claims.ver))) throw new AppError('token-invalid');
    return { type: 'resident', id: claims.sub };
  }
  const staff = await opts.staff.activeStaff(claims.sub, claims.ver);
  if (!staff) throw new AppError('token-invalid');
  return {
    type: staff.role as Role,
    id: staff.id,
    ...(staff.profile ? { profile: staff.profile as Profile } : {}),
    ...(staff.partnerId ? { partnerId: staff.partnerId } : {}),
  };
}

export default fp(
  async function auth(app: FastifyInstance, opts: AuthOptions) {
    await app.register(fastifyJwt, {
      secret: opts.secret,
      sign: { algorithm: ALGORITHM, expiresIn: opts.accessTokenTtl },
      verify: { algorithms: [ALGORITHM] },
    });
    app.decorate('routeAccess', [] as FastifyInstance['routeAccess']);
    app.decorate('issueToken', (claims: TokenClaims, expiresIn?: number) =>
      app.jwt.sign(claims, { expiresIn: expiresIn ?? opts.accessTokenTtl }),
    );
    app.decorateRequest('actor', null);

    app.addHook('onRoute', (route) => {
      const access = route.config?.access;
      if (!access) throw new Error(`Route ${String(route.method)} ${route.url} declares no config.access`);
      for (const method of [route.method].flat()) {
        if (method === 'HEAD') continue;
        app.routeAccess.push({ method, url: route.url, access });
      }
    });

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config?.access;
      if (!access || access === 'public') {
        // Public routes still learn who calls when a valid token is sent.
        return;
      }
      const actor = await authenticate(request, opts);
      if (!actor) throw new AppError('unauthenticated', { headers: { 'www-authenticate': 'Bearer' } });
      if (!access.includes(actor.type)) {
        await opts.onForbidden?.(actor, `${request.method} ${request.routeOptions.url}`);
        throw new AppError('forbidden');
      }
      request.actor = actor;
    });
  },
  { name: 'auth' },
);
