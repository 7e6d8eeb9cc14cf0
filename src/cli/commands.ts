/** Every CLI command, by name. Add a command in its own file and list it here. */
import type { Command } from './command.js';
import { auditVerify } from './audit-commands.js';
import { dbMigrate } from './db-commands.js';
import { cardsExpire, cardsIssueMissing } from './cards-commands.js';
import { purgeEmergency, purgeExpired } from './residents-commands.js';
import { directorySign, directoryVerify, federationSync, trustAnchorGenerate, trustListSign, trustListVerify } from './federation-commands.js';
import { credentialCheck } from './credential-commands.js';
import { appointmentsPurge } from './appointments-commands.js';

export const COMMANDS: Record<string, Command> = {
  'db:migrate': dbMigrate,
  'audit:verify': auditVerify,
  'cards:expire': cardsExpire,
  'cards:issue-missing': cardsIssueMissing,
  'purge:expired': purgeExpired,
  'purge:emergency': purgeEmergency,
  'trust-anchor:generate': trustAnchorGenerate,
  'trust-list:sign': trustListSign,
  'trust-list:verify': trustListVerify,
  'federation:sync': federationSync,
  'directory:sign': directorySign,
  'directory:verify': directoryVerify,
  'credential:check': credentialCheck,
  'appointments:purge': appointmentsPurge,
};
