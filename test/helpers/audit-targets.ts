/**
 * Audit entries name residents and their cards by pseudonyms keyed by each
 * resident's data key (src/modules/audit/audit-service.ts). For the suites
 * that check "every row has its audit entry, every entry its row": the
 * pseudonyms the live rows stand for, and what the log holds.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { createResidentKeys } from '../../src/modules/residents/resident-keys.js';
import type { FieldCipher } from '../../src/security/field-cipher.js';

const rows = async <T>(database: Database, q: ReturnType<typeof sql>) => ((await database.db.execute(q)) as unknown as { rows: T[] }).rows;

export async function auditLinks(database: Database, cipher: FieldCipher) {
  const cards = await rows<{ id: string; resident_id: string | null }>(database, sql`select id::text as id, resident_id::text as resident_id from cards where resident_id is not null`);
  const residents = (await rows<{ id: string }>(database, sql`select id::text as id from residents`)).map((r) => r.id);
  const keys = await createResidentKeys(cipher).forMany(database.db, residents);
  const cardTarget = new Map(cards.map((c) => [c.id, keys.get(c.resident_id!)!.pseudonym(`card:${c.id}`)]));
  const residentTarget = new Map(residents.map((id) => [id, keys.get(id)!.pseudonym('resident')]));
  const logged = async (action: string) => new Set((await rows<{ t: string }>(database, sql`select target_id as t from audit_log where action = ${action}`)).map((r) => r.t));
  const issued = await logged('card.issue');
  const created = await logged('resident.create');
  const cardValues = new Set(cardTarget.values());
  const residentValues = new Set(residentTarget.values());
  return {
    /** Live cards without their card.issue entry. */
    cardsWithoutIssue: [...cardTarget].filter(([, p]) => !issued.has(p)).map(([id]) => id),
    /** Records without their resident.create entry. */
    residentsWithoutCreate: [...residentTarget].filter(([, p]) => !created.has(p)).map(([id]) => id),
    /** card.issue entries that stand for no card of a live record. */
    issueWithoutCard: [...issued].filter((p) => !cardValues.has(p)),
    /** resident.create entries that stand for no record. */
    createWithoutResident: [...created].filter((p) => !residentValues.has(p)),
  };
}
