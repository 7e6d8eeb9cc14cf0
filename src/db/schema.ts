/**
 * Every table, gathered for drizzle (queries and drizzle-kit). Each domain
 * owns its tables in src/modules/<domain>/<domain>-tables.ts.
 */
export * from '../modules/city/city-tables.js';
export * from '../modules/staff/staff-tables.js';
export * from '../modules/audit/audit-tables.js';
export * from '../modules/residents/residents-tables.js';
export * from '../modules/cards/cards-tables.js';
export * from '../modules/verification/verification-tables.js';
export * from '../modules/self-service/self-service-tables.js';
export * from '../modules/federation/federation-tables.js';
export * from '../modules/federation/directory-tables.js';
export * from '../modules/appointments/appointments-tables.js';
export * from '../modules/events/events-tables.js';
export * from '../modules/benefits/benefits-tables.js';
export * from '../modules/staff/staff-session-tables.js';
