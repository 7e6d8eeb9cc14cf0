/**
 * The composition root: every repository and service, wired once from the
 * config, the database and the clock. The HTTP app and the CLI both use it.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { deriveKey } from './security/derive.js';
import { createBlindIndex } from './security/blind-index.js';
import { createFieldCipher } from './security/field-cipher.js';
import { createAuditRepository } from './modules/audit/audit-repository.js';
import { createAuditService } from './modules/audit/audit-service.js';
import { createDenialLog } from './modules/audit/denial-log.js';
import { createCityRepository } from './modules/city/city-repository.js';
import { createCityService } from './modules/city/city-service.js';
import { createStaffRepository } from './modules/staff/staff-repository.js';
import { createStaffService } from './modules/staff/staff-service.js';
import { createStaffSessionRepository } from './modules/staff/staff-session-repository.js';
import { createStaffSessionService } from './modules/staff/staff-session-service.js';
import { createResidentsService } from './modules/residents/residents-service.js';
import { createResidentsRepository } from './modules/residents/residents-repository.js';
import { createResidentKeys } from './modules/residents/resident-keys.js';
import { createShredder } from './modules/residents/resident-shredding.js';
import { loadResidentRules } from './modules/residents/city-rules.js';
import { createCardsRepository } from './modules/cards/cards-repository.js';
import { createCardsService, type CardsService } from './modules/cards/cards-service.js';
import { createStatusListService } from './modules/cards/status-list-service.js';
import { createCardPdf } from './modules/cards/card-pdf.js';
import { loadCardRules } from './modules/cards/card-rules.js';
import type { Language } from './i18n/languages.js';
import { createTrustService, type PartnerSource } from './modules/verification/trust-service.js';
import { createFederationRepository } from './modules/federation/federation-repository.js';
import { createFederationService } from './modules/federation/federation-service.js';
import { createPartnerSource } from './modules/federation/partner-source.js';
import { createPartnerSync } from './modules/federation/partner-sync.js';
import { createDirectoryRepository } from './modules/federation/directory-repository.js';
import { createDirectorySync } from './modules/federation/directory-sync.js';
import type { FetchFn } from './modules/federation/fetch-document.js';
import { createOutboundGuard } from './http/outbound-guard.js';
import { pinnedFetch } from './http/pinned-fetch.js';
import { createVerificationCounter } from './modules/verification/verification-counter.js';
import { createVerificationRepository } from './modules/verification/verification-repository.js';
import { createVerificationCounts } from './modules/verification/verification-counts.js';
import { createVerificationService } from './modules/verification/verification-service.js';
import { createBundleService } from './modules/verification/bundle-service.js';
import { createSelfServiceRepository } from './modules/self-service/self-service-repository.js';
import { createSelfServiceService } from './modules/self-service/self-service-service.js';
import { createKeysService } from './modules/keys/keys-service.js';
import { createProfileSource } from './modules/network/public-profile.js';
import { createNetworkService } from './modules/network/network-service.js';
import { createAppointmentsService } from './modules/appointments/appointments-service.js';
import { createSmtpSender } from './modules/appointments/reminder-sender.js';
import { createEventsRepository } from './modules/events/events-repository.js';
import { createEventsService } from './modules/events/events-service.js';
import { createRsvpService } from './modules/events/events-rsvp-service.js';
import { createDoorService } from './modules/events/events-door-service.js';
import { createBenefitsRepository } from './modules/benefits/benefits-repository.js';
import { createBenefitsService } from './modules/benefits/benefits-service.js';
import { createRedemptionService } from './modules/benefits/redemption-service.js';
import { createHolderAgesService } from './modules/benefits/holder-ages-service.js';

export type ResolvedConfig = Config & { masterKey: Buffer };

/** A partner that does not answer within this is unreachable for this round. */
const FETCH_TIMEOUT_MS = 10_000;

export interface ServiceDeps {
  config: ResolvedConfig;
  database: Database;
  /** The clock every decision reads; tests freeze it. */
  clock?: () => Date;
  /** How partner documents are fetched (global fetch); tests route partners' URLs to other in-process apps. */
  fetch?: FetchFn;
}

export function createServices({ config, database, clock = () => new Date(), fetch: fetchFn = pinnedFetch }: ServiceDeps) {
  // Partner URLs are fetched from public addresses only (SSRF), unless a test or demo federates on one machine.
  const guard = createOutboundGuard({ allowPrivate: config.federationAllowPrivateNetworks });
  const db = database.db;
  const cipher = createFieldCipher(config.masterKey, config.previousMasterKeys);
  const blindIndex = createBlindIndex(config.masterKey);
  const residentKeys = createResidentKeys(cipher);
  // Entries about a resident carry pseudonyms keyed by the resident's data key (gone at erasure).
  const audit = createAuditService({ db, repo: createAuditRepository(), clock, pseudonyms: residentKeys.forMany });
  // Refused calls: an entry per caller and route at once, the rest counted per minute (no token can flood the log).
  const denials = createDenialLog({ db, audit });
  const staff = createStaffService({
    db,
    repo: createStaffRepository(),
    audit,
    clock,
    passwordHash: config.passwordHash,
    throttleKey: deriveKey(config.masterKey, 'throttle-index'),
    // Partner accounts name their organisation (src/modules/benefits, built below; called only later).
    partnerExists: (id) => benefits.partnerExists(id),
  });
  // Console sign-ins: refresh tokens rotated on each use (src/modules/staff/staff-session-service.ts).
  const staffSessions = createStaffSessionService({ db, repo: createStaffSessionRepository(), staff: createStaffRepository(), audit, clock, idleMs: config.staffIdleTimeout * 1000 });
  const cityRepo = createCityRepository();
  const city = createCityService({ db, repo: cityRepo, cipher, audit, clock });
  // A key rotated or revoked here is seen by this instance's verifications at once (the trust store is built below).
  // The city's public profile for the map of the network (templates/network/city-profile.json + live offers and Welcoming Week).
  const publicProfile = createProfileSource({ db, cityId: config.cityId, clock, today: (now) => new Intl.DateTimeFormat('en-CA', { timeZone: config.timeZone }).format(now) });
  const keys = createKeysService({ db, repo: cityRepo, city, audit, clock, publicUrl: config.publicUrl, onChange: () => trust.invalidate(), profile: publicProfile });
  // Residents and cards need each other (erasure revokes cards; cards print residents): the port is bound late.
  let cards: CardsService | undefined;
  const residents = createResidentsService({
    db,
    repo: createResidentsRepository(),
    audit,
    keys: residentKeys,
    shredder: createShredder(db),
    blindIndex,
    clock,
    rules: loadResidentRules(config.cityId),
    // Names are set as the card prints them (the renderer below, loaded on first use).
    cardNames: { layoutNames: (names) => cardPdf.layoutNames(names) },
    cards: {
      revokeAllForResident: (tx, id, reason) => cards!.residentsPort.revokeAllForResident(tx, id, reason),
      residentIdsByCardNumber: (tx, number) => cards!.residentsPort.residentIdsByCardNumber(tx, number),
      hasValidCard: (tx, id, now) => cards!.residentsPort.hasValidCard(tx, id, now),
      minimiseForResident: (tx, id, from, to, now) => cards!.residentsPort.minimiseForResident(tx, id, from, to, now),
    },
  });
  const cardsRepo = createCardsRepository();
  const cardRules = loadCardRules(config.cityId);
  cards = createCardsService({
    db,
    repo: cardsRepo,
    residents: residents.cardSubjects,
    city,
    audit,
    blindIndex,
    clock,
    rules: cardRules,
    publicUrl: config.publicUrl,
    // A card changed here reads in its new state here at once (the trust store is built below; called only later).
    onStatusChange: (version) => trust.statusChanged(version),
  });
  const statusList = createStatusListService({ db, repo: cardsRepo, city, clock, statusListUrl: `${config.publicUrl}/v1/status-list`, minSlots: cardRules.statusListMinSlots });
  const cardPdf = createCardPdf({ city: { id: config.cityId, name: config.cityName }, officialLanguage: config.officialLanguage as Language });
  const federationRepo = createFederationRepository();
  const network = createNetworkService({ db, repo: federationRepo, own: { id: config.cityId, name: config.cityName, country: config.country }, profile: publicProfile, clock });
  const partners: PartnerSource = createPartnerSource({ db, repo: federationRepo });
  const trust = createTrustService({ db, cityRepo, statusList, clock, country: config.country, issuerUri: config.publicUrl, partners: () => partners });
  const verificationRepo = createVerificationRepository();
  const verificationCounter = createVerificationCounter({ db, repo: verificationRepo, clock });
  const verificationCounts = createVerificationCounts({ db, repo: verificationRepo, clock });
  const verification = createVerificationService({ trust, counter: verificationCounter, cards, cityId: config.cityId, clock, offers: (p, c, i) => redemptions.atCounter(p, c, i) });
  const bundle = createBundleService({ db, cityRepo, city, statusList, partners: () => partners, clock, issuerUri: config.publicUrl });
  // The world directory (DIRECTORY_ANCHOR_JWK, DIRECTORY_URL): other countries' national lists, synced before the partners they name.
  const directory = createDirectorySync({ db, repo: createDirectoryRepository(), partners: federationRepo, audit, clock, fetch: fetchFn, guard, timeoutMs: FETCH_TIMEOUT_MS, own: { id: config.cityId, country: config.country }, anchor: config.directoryAnchorJwk, url: config.directoryUrl, onChange: () => trust.invalidate() });
  const partnerSync = createPartnerSync({ db, repo: federationRepo, audit, clock, fetch: fetchFn, guard, timeoutMs: FETCH_TIMEOUT_MS, onChange: () => trust.invalidate(), before: () => directory.sync() });
  const federation = createFederationService({
    db,
    repo: federationRepo,
    audit,
    clock,
    fetch: fetchFn,
    guard,
    timeoutMs: FETCH_TIMEOUT_MS,
    sync: partnerSync,
    own: { id: config.cityId, country: config.country },
    trustAnchor: config.trustAnchorJwk,
    onChange: () => trust.invalidate(),
  });
  const self = createSelfServiceService({
    db,
    repo: createSelfServiceRepository(),
    cards,
    residents,
    city,
    audit,
    clock,
    passwordHash: config.passwordHash,
    pinPepper: deriveKey(config.masterKey, 'pin-pepper'),
    publicUrl: config.publicUrl,
    documentLabels: Object.fromEntries(loadResidentRules(config.cityId).evidence.documents.map((d) => [d.type, d.label])),
  });
  const appointments = createAppointmentsService({
    db,
    audit,
    cipher,
    pinPepper: deriveKey(config.masterKey, 'appointment-pin'),
    evidence: loadResidentRules(config.cityId).evidence,
    clock,
    zone: config.timeZone,
    retentionDays: config.appointmentRetentionDays,
    sender: config.smtpUrl ? createSmtpSender(config.smtpUrl, config.mailFrom) : undefined,
    publicUrl: config.publicUrl,
  });
  // Welcoming Week (src/modules/events): RSVPs reach residents only through these ports, and hold a per-event pseudonym.
  const eventsRepo = createEventsRepository();
  const selfRepo = createSelfServiceRepository();
  const events = createEventsService({ db, repo: eventsRepo, audit, cipher, clock, random: randomBytes, timeZone: config.timeZone, publicUrl: config.publicUrl, cityName: config.cityName });
  const eventRsvps = createRsvpService({
    db,
    repo: eventsRepo,
    audit,
    cipher,
    clock,
    random: randomBytes,
    pseudonymKey: deriveKey(config.masterKey, 'event-pseudonym'),
    ticketKey: deriveKey(config.masterKey, 'event-ticket'),
    residents: {
      ofAccount: async (accountId) => (await selfRepo.byId(db, accountId))?.residentId,
      ofCard: (number) => cards!.holderOf(db, number),
      hasValidCard: async (residentId) => {
        const today = clock().toISOString().slice(0, 10);
        return (await cards!.forResident(residentId)).some((c) => c.status === 'active' && c.expiresAt >= today);
      },
    },
    // At the door of a card-holders event without RSVPs: a valid card or proof of this city, nothing about the holder.
    cardCheck: async (qr) => {
      const r = await verification.verify(qr, 'residency_only');
      return { valid: r.result === 'valid' && r.issuer?.id === config.cityId, kind: r.kind };
    },
  });
  const eventDoor = createDoorService({ db, repo: eventsRepo, audit, clock, random: randomBytes, ticketKey: deriveKey(config.masterKey, 'event-ticket'), rsvp: eventRsvps });
  // Benefits (issue 16): partners, offers, redemptions kept only as partner-keyed pseudonyms.
  const benefitsRepo = createBenefitsRepository();
  const benefits = createBenefitsService({ db, repo: benefitsRepo, audit, clock, timeZone: config.timeZone });
  const redemptions = createRedemptionService({ db, repo: benefitsRepo, trust, counter: verificationCounter, clock, timeZone: config.timeZone, cityId: config.cityId, officialLanguage: config.officialLanguage });
  const holderAges = createHolderAgesService({ db, birthDates: residents.holderBirthDates, clock, timeZone: config.timeZone });
  return { benefits, redemptions, holderAges, config, database, db, clock, cipher, blindIndex, audit, denials, staff, staffSessions, city, keys, residents, cards, statusList, cardPdf, trust, verification, verificationCounter, verificationCounts, bundle, self, federation, partnerSync, directory, network, appointments, events, eventRsvps, eventDoor };
}

export type Services = ReturnType<typeof createServices>;
