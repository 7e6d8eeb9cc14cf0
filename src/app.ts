/**
 * buildApp: the Fastify instance with every plugin and domain module, in
 * order, without listening (tests inject; server.ts listens).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cors from '@fastify/cors';
import securityHeaders from './plugins/security-headers.js';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import ajvFormats from 'ajv-formats';
import { createI18n } from './i18n/index.js';
import { registerErrorHandler } from './errors/error-handler.js';
import { Problem } from './http/schemas.js';
import { describeDocument, describeRoute, DOCUMENT_DESCRIPTION, SECURITY_SCHEMES } from './http/openapi-truth.js';
import { loggerOptions } from './logger.js';
import auth from './plugins/auth.js';
import metrics from './plugins/metrics.js';
import requestBudget from './http/request-budget.js';
import cachePolicy from './plugins/cache-policy.js';
import { deriveKey } from './security/derive.js';
import { createServices, type ServiceDeps, type Services } from './services.js';
import { healthRoutes } from './modules/health/health-routes.js';
import { staffRoutes } from './modules/staff/staff-routes.js';
import { staffSessionRoutes } from './modules/staff/staff-session-routes.js';
import { auditRoutes } from './modules/audit/audit-routes.js';
import { residentsRoutes } from './modules/residents/residents-routes.js';
import { cardsRoutes } from './modules/cards/cards-routes.js';
import { verificationRoutes } from './modules/verification/verification-routes.js';
import { verificationCountsRoutes } from './modules/verification/verification-counts-routes.js';
import { selfServiceRoutes } from './modules/self-service/self-service-routes.js';
import { keysRoutes } from './modules/keys/keys-routes.js';
import { verifierRoutes } from './web/verify/verifier-routes.js';
import { federationRoutes } from './modules/federation/federation-routes.js';
import { directoryRoutes } from './modules/federation/directory-routes.js';
import { networkRoutes } from './modules/network/network-routes.js';
import { selfRoadRoutes } from './modules/self-service/self-road-routes.js';
import { directoryBundleRoutes } from './modules/verification/directory-bundle-routes.js';
import { pagesRoutes } from './web/pages-routes.js';
import { eventsRoutes } from './modules/events/events-routes.js';
import { appointmentsRoutes } from './modules/appointments/appointments-routes.js';
import { benefitsRoutes } from './modules/benefits/benefits-routes.js';

export interface AppOptions extends ServiceDeps {
  /** Fastify logger options; false for silence, or a pino stream for tests that read the log. */
  logger?: FastifyServerOptions['logger'] | false;
  loggerInstance?: FastifyServerOptions['loggerInstance'];
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const services = createServices(opts);
  const { config } = services;
  const app = Fastify({
    ...(opts.loggerInstance ? { loggerInstance: opts.loggerInstance } : { logger: opts.logger === undefined ? loggerOptions(config.logLevel) : opts.logger }),
    bodyLimit: config.bodyLimit,
    // Whose X-Forwarded-For to believe (TRUST_PROXY): req.ip keys the sign-in throttle and the rate limits.
    // Fastify 5 ignores a bare hop count (it cannot check the peer); a count here means "the nearest N hops are ours".
    trustProxy: typeof config.trustProxy === 'number' ? ((hops: number) => (_addr: string, hop: number) => hop < hops)(config.trustProxy) : config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true }, plugins: [ajvFormats as never] },
    // The message names no field (the problem's `errors` do, bounded): never one string per failing field of a hostile body.
    schemaErrorFormatter: (errors, dataVar) => new Error(`${dataVar} has ${errors.length} invalid field(s)`),
  });
  const i18n = await createI18n();
  app.decorate('services', services);
  registerErrorHandler(app, i18n);
  app.addSchema(Problem);
  // Before any route: public routes get a small body limit, and no body may have more fields than a form has.
  await app.register(requestBudget);

  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'"],
        // The console previews card PDFs from blob: URLs in an iframe.
        frameSrc: ["'self'", 'blob:'],
      },
    },
    // Clerk photos and residents' data: never cache personal answers in shared caches.
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  // Personal answers never reach a cache: no-store unless a public document's route says otherwise.
  await app.register(cachePolicy);
  // CORS is opened per route (public keys, status list), never globally.
  await app.register(cors, { origin: false });
  await app.register(rateLimit, { global: true, max: config.rateLimit, timeWindow: '1 minute' });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Local citizenship card API', version: '1', description: DOCUMENT_DESCRIPTION },
      components: { securitySchemes: SECURITY_SCHEMES as never },
    },
    // Security from each route's access, problem+json errors, media types (src/http/openapi-truth.ts).
    transform: describeRoute as never,
    transformObject: describeDocument as never,
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(auth, {
    secret: deriveKey(config.masterKey, 'staff-jwt'),
    accessTokenTtl: config.accessTokenTtl,
    staff: services.staff,
    residentSessionActive: (id, ver) => services.self.sessionActive(id, ver),
    // Aggregated per caller and route (src/modules/audit/denial-log.ts); the metrics scraper has no account id.
    onForbidden: (actor, route) => services.denials.denied({ type: actor.type, id: actor.type === 'operator' ? null : actor.id }, route),
    metricsToken: config.metricsToken,
  });
  app.addHook('onClose', async () => services.denials.flush());

  await app.register(metrics, { serve: config.metricsToken !== undefined });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes, { ping: () => services.database.ping() });
  await app.register(staffRoutes, { staff: services.staff });
  await app.register(staffSessionRoutes, { staff: services.staff, sessions: services.staffSessions, accessTokenTtl: config.accessTokenTtl, clock: services.clock });
  await app.register(auditRoutes, { audit: services.audit, db: services.db, pseudonymOf: (id) => services.residents.auditPseudonym(id) });
  await app.register(residentsRoutes, { residents: services.residents });
  await app.register(cardsRoutes, { cards: services.cards, statusList: services.statusList, pdf: services.cardPdf });
  await app.register(verificationRoutes, { verification: services.verification, bundle: services.bundle, rateLimit: config.verifyRateLimit });
  await app.register(verificationCountsRoutes, { counts: services.verificationCounts });
  await app.register(selfServiceRoutes, { self: services.self, pdf: services.cardPdf, sessionTtl: config.accessTokenTtl });
  app.addHook('onClose', async () => services.verificationCounter.close());
  await app.register(keysRoutes, { keys: services.keys });
  await app.register(verifierRoutes);
  await app.register(federationRoutes, { federation: services.federation });
  await app.register(directoryRoutes, { directory: services.directory });
  await app.register(networkRoutes, { network: services.network });
  await app.register(selfRoadRoutes, { self: services.self });
  await app.register(directoryBundleRoutes, { bundle: services.bundle });
  await app.register(appointmentsRoutes, { appointments: services.appointments });
  await app.register(eventsRoutes, { events: services.events, rsvp: services.eventRsvps, door: services.eventDoor, lang: config.officialLanguage });
  await app.register(benefitsRoutes, { benefits: services.benefits, redemptions: services.redemptions, holderAges: services.holderAges, lang: config.officialLanguage });
  await app.register(pagesRoutes);
  // Partners' metadata and status lists refresh on a timer (FEDERATION_SYNC_SECONDS; 0 = only on demand).
  let stopSync: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    if (config.federationSyncSeconds > 0) stopSync = services.partnerSync.start(config.federationSyncSeconds);
  });
  app.addHook('onClose', async () => stopSync?.());

  return app;
}
