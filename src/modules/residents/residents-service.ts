/**
 * Resident enrolment, import, edits, search, photo and erasure (the record's
 * layout at rest is resident-sealing.ts; purges residents-purges.ts). Knows nothing of HTTP: returns values or throws AppError.
 * Every personal value is encrypted before it reaches the repository, and
 * every change is audited (ids only) in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import { normaliseForIndex, type BlindIndex } from '../../security/blind-index.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import { birthDatesCompatible, birthYear, maximumAge } from './birth-date.js';
import type { ResidentRules } from './city-rules.js';
import { checkEvidence } from './evidence-rules.js';
import { processPhoto } from './photo.js';
import { mergePatch, toInput, validateResident, type EvidenceItem, type ResidentData, type ResidentInput, type ResidentPatch, type ValidInput } from './resident-record.js';
import type { ResidentRow, ResidentsRepository } from './residents-repository.js';
import { createResidentSealer } from './resident-sealing.js';
import { createCardSubjects } from './residents-card-subjects.js';
import { createHolderBirthDates } from './holder-birth-dates.js';
import { createResidentPurges } from './residents-purges.js';
import type { HolderCipher, ResidentKeys } from './resident-keys.js';
import { noShredding, type Shredder } from './resident-shredding.js';
import { cardPrintErrors, nameTooLongForCard, type CardNameLayout } from './card-budget.js';
import { matches, queryAlternatives, searchLookups } from './name-search.js';

/**
 * What residents need from cards. The cards module (another issue) provides
 * the real implementation in src/services.ts; until then `noCards` stands in
 * (there are no cards to revoke or find). Its rows must not block deleting a
 * resident: `revokeAllForResident` runs first, in the erasure's transaction,
 * and must revoke every card (status list bit) and keep of each only its
 * slot (no credential, no link): the resident's key goes right after.
 * The cards module also keeps `residents.last_card_expires_at` up to date
 * (latest expiry of the resident's cards) — retention counts from it.
 */
export interface ResidentCardsPort {
  revokeAllForResident(tx: Executor, residentId: string, reason: 'erasure' | 'retention' | 'emergency'): Promise<void>;
  residentIdsByCardNumber(tx: Executor, number: string): Promise<string[]>;
  /** Whether the resident holds a card that is valid (issued, not expired, suspended or revoked) at `now`. */
  hasValidCard(tx: Executor, residentId: string, now: Date): Promise<boolean>;
  /** Emergency purge: the valid card is sealed again with the resident's new key (`to`); every other card keeps only its slot. */
  minimiseForResident(tx: Executor, residentId: string, from: HolderCipher, to: HolderCipher, now: Date): Promise<void>;
}

export const noCards: ResidentCardsPort = {
  revokeAllForResident: async () => {},
  residentIdsByCardNumber: async () => [],
  hasValidCard: async () => false,
  minimiseForResident: async () => {},
};

export interface ResidentView extends Omit<ResidentData, 'evidence'> {
  id: string;
  version: number;
  evidence: { rulesVersion: string; items: EvidenceItem[] };
  hasPhoto: boolean;
  lastCardExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ResidentSummary {
  id: string;
  version: number;
  names: ResidentData['names'];
  birthDate: string | null;
}

/** `any` for `If-Match: *`; else the versions the caller's ETags name. */
export type Expected = 'any' | number[] | undefined;

export interface ResidentsServiceDeps {
  db: Db;
  repo: ResidentsRepository;
  audit: Pick<AuditService, 'record' | 'recordMany'>;
  /** Per-resident data keys: every personal value is sealed with its resident's. */
  keys: ResidentKeys;
  blindIndex: BlindIndex;
  clock: () => Date;
  rules: ResidentRules;
  cards?: ResidentCardsPort;
  /** VACUUM after erasures (resident-shredding.ts). */
  shredder?: Shredder;
  /**
   * Sets names as the card prints them (the card renderer, src/services.ts):
   * enrolment, edits and imports refuse a name the card cannot print whole.
   */
  cardNames: CardNameLayout;
}


export function createResidentsService(deps: ResidentsServiceDeps) {
  const { db, repo, audit, keys, blindIndex, clock, rules } = deps;
  const cards = deps.cards ?? noCards;
  const shredder = deps.shredder ?? noShredding;

  const sealer = createResidentSealer(blindIndex);
  const { decrypt, sealed } = sealer;
  /** Every blind index of a record: whole tokens, name + birth date, birth year (sealer), prefixes and phonetic keys (name-search.ts). */
  const lookups = (d: Pick<ResidentData, 'names' | 'birthDate'>) => [...sealer.lookups(d), ...searchLookups(blindIndex, d.names)];

  /** The cipher of a resident whose row the caller has read. */
  async function holder(tx: Executor, id: string): Promise<HolderCipher> {
    const c = await keys.forResident(tx, id);
    if (!c) throw new AppError('resident-not-found');
    return c;
  }

  async function summaries(tx: Executor, rows: ResidentRow[]): Promise<ResidentSummary[]> {
    const ciphers = await keys.forMany(tx, rows.map((r) => r.id));
    return rows.filter((r) => ciphers.has(r.id)).map((r) => summary(r, ciphers.get(r.id)!));
  }

  function view(row: ResidentRow, d: ResidentData, hasPhoto: boolean): ResidentView {
    return {
      id: row.id,
      version: row.version,
      ...d,
      evidence: { rulesVersion: row.evidenceRulesVersion, items: d.evidence },
      hasPhoto,
      lastCardExpiresAt: row.lastCardExpiresAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  const summary = (row: ResidentRow, c: HolderCipher): ResidentSummary => ({ id: row.id, version: row.version, ...sealer.summary(row, c) });

  /** City age rule: certainly below the minimum age → a guardian must be present. */
  function checkAge(v: ValidInput, now: Date) {
    if (v.birthDate && !v.guardianPresent && maximumAge(v.birthDate, now) < rules.city.minimumAgeAlone) {
      throw new AppError('guardian-required', { detail: `Below ${rules.city.minimumAgeAlone}, a parent or guardian must be present (guardianPresent).`, extra: { minimumAge: rules.city.minimumAgeAlone } });
    }
  }

  function checkEvidenceRules(types: string[], birthDate: string | null) {
    const result = checkEvidence(rules.evidence, types, { birthDateGiven: birthDate !== null });
    if (!result.met) {
      throw new AppError('evidence-insufficient', {
        detail: `The documents seen do not meet the city's rules: ${result.unmet.map((u) => u.requirement).join(', ')}.`,
        extra: { rulesVersion: rules.evidence.version, unmet: result.unmet },
      });
    }
  }

  /** A new record from an enrolment body, under every rule (fields, age, evidence), with a fresh id. */
  function newRecord(actor: Actor, input: ResidentInput, now: Date): { id: string; data: ResidentData } {
    const v = validateResident(input, rules, now);
    checkAge(v, now);
    const types = v.evidenceTypes ?? [];
    checkEvidenceRules(types, v.birthDate);
    const { evidenceTypes: _, ...rest } = v;
    return { id: randomUUID(), data: { ...rest, evidence: stamp(types, [], actor, now) } };
  }

  /** 422 name-too-long-for-card when the card cannot print the printed or original name whole. */
  async function checkPrintable(names: ResidentData['names']): Promise<void> {
    const errors = await cardPrintErrors(deps.cardNames, { printed: names.printed, ...(names.original ? { original: names.original } : {}) }, '/body/names');
    if (errors.length > 0) throw nameTooLongForCard(errors);
  }

  function stamp(types: string[], previous: EvidenceItem[], actor: Actor, now: Date): EvidenceItem[] {
    return types.map((type) => previous.find((p) => p.type === type) ?? { type, seenBy: actor.id ?? null, seenAt: now.toISOString() });
  }

  function checkVersion(row: ResidentRow, expected: Expected) {
    if (expected === undefined || expected === 'any') return;
    if (!expected.includes(row.version)) throw new AppError('precondition-failed', { extra: { currentVersion: row.version } });
  }

  async function locked(tx: Executor, id: string, expected: Expected) {
    const row = await repo.byId(tx, id, { forUpdate: true });
    if (!row) throw new AppError('resident-not-found');
    checkVersion(row, expected);
    return row;
  }

  /**
   * Cards revoked down to their slots, the erasure audited under the
   * resident's pseudonym (while the key still exists to compute it), then
   * the key and the record go. The caller runs `shredder.afterErasure()`
   * once the transaction has committed.
   */
  async function erase(tx: Executor, id: string, actor: Actor, reason: 'erasure' | 'retention' | 'emergency') {
    await cards.revokeAllForResident(tx, id, reason);
    await audit.record(tx, { actor, action: 'resident.erase', targetType: 'resident', targetId: id });
    await keys.destroy(tx, id);
    await repo.delete(tx, id);
  }

  return {
    rules,

    /** How many records the city holds (a number, for progress bars and operators). */
    count: () => repo.count(db),

    /** For the cards module: what a card prints, and the expiry it reports back. */
    cardSubjects: createCardSubjects(repo, sealer, keys),

    /** For the benefits module's holders by age band: birth dates of the holders of a card in force, in batches. */
    holderBirthDates: createHolderBirthDates(sealer, keys),

    /**
     * Imports many records at once — a city moving from an earlier municipal
     * ID system — with every rule of an enrolment (fields, age, evidence),
     * in one transaction: all of them or none, with the first refusal's
     * problem naming its index. No duplicate warnings (nobody is at the desk).
     */
    async importMany(actor: Actor, inputs: ResidentInput[]): Promise<string[]> {
      const now = clock();
      const prepared = inputs.map((input, i) => {
        try {
          return newRecord(actor, input, now);
        } catch (e) {
          if (e instanceof AppError) throw new AppError(e.code, { ...e.options, extra: { ...e.options.extra, index: i } });
          throw e;
        }
      });
      for (const [i, { data }] of prepared.entries()) {
        try {
          await checkPrintable(data.names);
        } catch (e) {
          if (e instanceof AppError) throw new AppError(e.code, { ...e.options, extra: { ...e.options.extra, index: i } });
          throw e;
        }
      }
      const fresh = prepared.map(({ id }) => keys.generate(id));
      await db.transaction(async (tx) => {
        await repo.insertMany(
          tx,
          prepared.map(({ id, data }, i) => ({ id, ...sealed(fresh[i]!.cipher, data), evidenceRulesVersion: rules.evidence.version, createdBy: actor.id ?? null, createdAt: now, updatedAt: now })),
        );
        await keys.insertMany(tx, fresh.map((f) => f.row));
        await repo.insertLookupsMany(tx, prepared.flatMap(({ id, data }) => lookups(data).map((l) => ({ residentId: id, ...l }))));
        await audit.recordMany(tx, prepared.map(({ id }) => ({ actor, action: 'resident.import', targetType: 'resident', targetId: id })));
      });
      return prepared.map((p) => p.id);
    },

    /** Enrols a resident; tells of possible duplicates (same name and birth date) without refusing. */
    async enrol(actor: Actor, input: ResidentInput): Promise<{ resident: ResidentView; possibleDuplicates: ResidentSummary[] }> {
      const now = clock();
      const { id, data } = newRecord(actor, input, now);
      await checkPrintable(data.names);
      const key = keys.generate(id);
      return db.transaction(async (tx) => {
        const row = await repo.insert(tx, {
          id,
          ...sealed(key.cipher, data),
          evidenceRulesVersion: rules.evidence.version,
          createdBy: actor.id ?? null,
          createdAt: now,
          updatedAt: now,
        });
        await keys.insertMany(tx, [key.row]);
        const entries = lookups(data);
        await repo.insertLookups(tx, id, entries);
        const dupIds = await repo.sharingNameBirth(tx, entries.filter((e) => e.kind === 'name_birth').map((e) => e.value), id);
        const duplicates = dupIds.length ? await summaries(tx, await repo.byIds(tx, dupIds)) : [];
        // The audit entry last: it holds the chain head until commit, so keep that short.
        await audit.record(tx, { actor, action: 'resident.create', targetType: 'resident', targetId: id });
        return { resident: view(row, data, false), possibleDuplicates: duplicates };
      });
    },

    async get(actor: Actor, id: string): Promise<ResidentView> {
      return db.transaction(async (tx) => {
        const row = await repo.byId(tx, id);
        if (!row) throw new AppError('resident-not-found');
        // Who looked at whom is audited: the first protection against staff misuse.
        await audit.record(tx, { actor, action: 'resident.read', targetType: 'resident', targetId: id });
        return view(row, decrypt(row, await holder(tx, id)), await repo.hasPhoto(tx, id));
      });
    },

    /** An edit (merge patch) checked against the version the caller read. */
    async update(actor: Actor, id: string, patch: ResidentPatch, expected: Expected): Promise<ResidentView> {
      const now = clock();
      return db.transaction(async (tx) => {
        const row = await locked(tx, id, expected);
        const c = await holder(tx, id);
        const current = decrypt(row, c);
        const v = validateResident(mergePatch(toInput(current), patch), rules, now);
        if ('birthDate' in patch || 'guardianPresent' in patch) checkAge(v, now);
        let evidence = current.evidence;
        let rulesVersion = row.evidenceRulesVersion;
        const birthDateAdded = v.birthDate !== null && v.birthDate !== current.birthDate;
        if (v.evidenceTypes || birthDateAdded) {
          const types = v.evidenceTypes ?? current.evidence.map((x) => x.type);
          checkEvidenceRules(types, v.birthDate);
          evidence = stamp(types, current.evidence, actor, now);
          rulesVersion = rules.evidence.version;
        }
        const { evidenceTypes: _, ...rest } = v;
        if (rest.names.printed !== current.names.printed || rest.names.original !== current.names.original) await checkPrintable(rest.names);
        const data: ResidentData = { ...rest, evidence };
        const updated = await repo.update(tx, id, { ...sealed(c, data), evidenceRulesVersion: rulesVersion, version: row.version + 1, updatedAt: now });
        await repo.replaceLookups(tx, id, lookups(data));
        await audit.record(tx, { actor, action: 'resident.update', targetType: 'resident', targetId: id });
        return view(updated, data, await repo.hasPhoto(tx, id));
      });
    },

    /**
     * Search by name (every normalised token must equal, begin or sound
     * like a token of one of the resident's names: name-search.ts),
     * optionally narrowed by birth date, or by card
     * number. Pages in id order; a page may hold fewer than `limit` items
     * when the birth date filter drops some — follow `next` until null.
     */
    async search(actor: Actor, q: { q?: string; birthDate?: string; card?: string; after?: string; limit: number }): Promise<{ items: ResidentSummary[]; next: string | null }> {
      const tokens = q.q ? [...new Set(normaliseForIndex(q.q).split(' ').filter(Boolean))] : [];
      if (q.q !== undefined && tokens.length === 0) throw new AppError('validation-failed', { detail: 'The request has invalid fields.', errors: [{ path: '/querystring/q', message: 'must contain a letter or digit' }] });
      if (!q.q && !q.card) throw new AppError('validation-failed', { detail: 'The request has invalid fields.', errors: [{ path: '/querystring/q', message: 'q or card is required (no listing of every resident)' }] });
      return db.transaction(async (tx) => {
        const ids = q.card ? await cards.residentIdsByCardNumber(tx, q.card) : undefined;
        let page: string[];
        if (tokens.length || q.birthDate) {
          page = await repo.search(tx, {
            groups: tokens.map((t) => queryAlternatives(blindIndex, t)),
            birthYear: q.birthDate ? blindIndex('resident-birth-year', birthYear(q.birthDate)) : undefined,
            ids,
            after: q.after,
            limit: q.limit,
          });
        } else {
          page = (ids ?? []).filter((id) => !q.after || id > q.after).sort().slice(0, q.limit);
        }
        let items = await summaries(tx, await repo.byIds(tx, page));
        // The indexes find candidates (prefixes stop at 8 letters, sounds collide); the names decide.
        if (tokens.length) items = items.filter((s) => matches(s.names, tokens));
        if (q.birthDate) items = items.filter((s) => s.birthDate !== null && birthDatesCompatible(s.birthDate, q.birthDate!));
        await audit.record(tx, { actor, action: 'resident.search', targetType: 'resident' });
        return { items, next: page.length === q.limit ? page[page.length - 1]! : null };
      });
    },

    /** Checks, re-encodes and stores the card photo (encrypted). */
    async setPhoto(actor: Actor, id: string, body: Buffer, contentType: string, expected: Expected): Promise<ResidentView> {
      const photo = await processPhoto(body, contentType);
      const now = clock();
      return db.transaction(async (tx) => {
        const row = await locked(tx, id, expected);
        const c = await holder(tx, id);
        await repo.upsertPhoto(tx, { residentId: id, photo: sealer.sealPhoto(c, photo.jpeg), width: photo.width, height: photo.height, at: now });
        const updated = await repo.update(tx, id, { version: row.version + 1, updatedAt: now });
        await audit.record(tx, { actor, action: 'resident.photo_set', targetType: 'resident', targetId: id });
        return view(updated, decrypt(row, c), true);
      });
    },

    /** The stored JPEG, decrypted. */
    async photo(actor: Actor, id: string): Promise<{ jpeg: Buffer; version: number }> {
      return db.transaction(async (tx) => {
        const row = await repo.byId(tx, id);
        if (!row) throw new AppError('resident-not-found');
        const p = await repo.photo(tx, id);
        if (!p) throw new AppError('photo-not-found');
        await audit.record(tx, { actor, action: 'resident.photo_read', targetType: 'resident', targetId: id });
        return { jpeg: sealer.openPhoto(await holder(tx, id), p.photo), version: row.version };
      });
    },

    /**
     * Erasure: the cards are revoked down to their slots; the record, photo,
     * indexes and the resident's key go; the audit keeps only that it
     * happened, under a pseudonym nobody can compute any more. Returns once
     * the key table has been rewritten (resident-shredding.ts).
     */
    async erase(actor: Actor, id: string, expected: Expected): Promise<void> {
      await db.transaction(async (tx) => {
        await locked(tx, id, expected);
        await erase(tx, id, actor, 'erasure');
      });
      await shredder.afterErasure();
    },

    /** The pseudonym that stands for this resident in the audit log (an administrator's look-up); undefined once erased. */
    async auditPseudonym(id: string): Promise<string | undefined> {
      return (await keys.forResident(db, id))?.pseudonym('resident');
    },

    ...createResidentPurges({ db, repo, audit, clock, rules, cards, sealer, keys, shredder, erase }),

    /** The city's document types and requirements, for the clerk's checklist. */
    evidenceRules() {
      return { ...rules.evidence, genderMarkers: rules.city.genderMarkers };
    },
  };
}

export type ResidentsService = ReturnType<typeof createResidentsService>;
