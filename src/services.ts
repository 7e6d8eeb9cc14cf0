/**
 * The composition root: every repository and service, wired once from the
 * config, the database and the clock. The HTTP app and the CLI both use it.
 */
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { deriveKey } from './security/derive.js';
import { createBlindIndex } from './security/blind-index.js';
import { createFieldCipher } from './security/field-cipher.js';
import { createAuditRepository } from './modules/audit/audit-repository.js';
import { createAuditService } from './modules/audit/audit-service.js';
import { createCityRepository } from './modules/city/city-repository.js';
import { createCityService } from './modules/city/city-service.js';
import { createStaffRepository } from './modules/staff/staff-repository.js';
import { createStaffService } from './modules/staff/staff-service.js';
import { createResidentsService } from './modules/residents/residents-service.js';
import { createResidentsRepository } from './modules/residents/residents-repository.js';
import { loadResidentRules } from './modules/residents/city-rules.js';
import { createKeysService } from './modules/keys/keys-service.js';

export type ResolvedConfig = Config & { masterKey: Buffer };

export interface ServiceDeps {
  config: ResolvedConfig;
  database: Database;
  /** The clock every decision reads; tests freeze it. */
  clock?: () => Date;
}

export function createServices({ config, database, clock = () => new Date() }: ServiceDeps) {
  const db = database.db;
  const cipher = createFieldCipher(config.masterKey, config.previousMasterKeys);
  const blindIndex = createBlindIndex(config.masterKey);
  const audit = createAuditService({ db, repo: createAuditRepository(), clock });
  const staff = createStaffService({
    db,
    repo: createStaffRepository(),
    audit,
    clock,
    passwordHash: config.passwordHash,
    throttleKey: deriveKey(config.masterKey, 'throttle-index'),
  });
  const cityRepo = createCityRepository();
  const city = createCityService({ db, repo: cityRepo, cipher, audit, clock });
  const keys = createKeysService({ db, repo: cityRepo, city, audit, clock, publicUrl: config.publicUrl });
  const residents = createResidentsService({ db, repo: createResidentsRepository(), audit, cipher, blindIndex, clock, rules: loadResidentRules(config.cityId) });
  return { config, database, db, clock, cipher, blindIndex, audit, staff, city, keys, residents };
}

export type Services = ReturnType<typeof createServices>;
