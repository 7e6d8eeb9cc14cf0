/**
 * Welcoming Week's programme: editions with their planning timeline,
 * spaces, events (proposed by partner organisations, published by the city),
 * the public listing and its calendars. Knows nothing of HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { FieldCipher } from '../../security/field-cipher.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import { seedCommitment } from './events-draw.js';
import { calendar } from './events-ical.js';
import type { EventFilter, EventsRepository } from './events-repository.js';
import { dayIn, timeline, type MilestoneStatus } from './events-timeline.js';
import { checkEventInput } from './events-validation.js';
import { editionView, eventView, spaceView, type EventRow, type EventView } from './events-views.js';

export interface EventsDeps {
  db: Db;
  repo: EventsRepository;
  audit: Pick<AuditService, 'record'>;
  cipher: Pick<FieldCipher, 'encrypt' | 'decrypt'>;
  clock: () => Date;
  /** Random bytes (the lottery seed, entry and ticket ids); tests inject a seeded source. */
  random: (n: number) => Buffer;
  timeZone: string;
  publicUrl: string;
  cityName: string;
}

export interface EventInput {
  title: Record<string, string>;
  description?: Record<string, string>;
  category: string;
  startsAt: string;
  endsAt: string;
  timeZone?: string;
  place?: { name: string; address: string };
  spaceId?: string;
  languages?: string[];
  accessibility?: string[];
  capacity?: number;
  access: string;
  rsvp: string;
  drawAt?: string;
  editionId?: string;
}

export type EventPatch = Partial<Omit<EventInput, 'rsvp' | 'drawAt'>>;

/** The AAD that binds a sealed seed to its event. */
export const seedAad = (eventId: string) => `event-seed:${eventId}`;

export function createEventsService(deps: EventsDeps) {
  const { db, repo, audit, clock } = deps;

  async function withPlaces(rows: EventRow[], ex: Executor = db): Promise<EventView[]> {
    const spaces = new Map((await repo.spacesByIds(ex, [...new Set(rows.map((r) => r.spaceId).filter((x): x is string => x !== null))])).map((s) => [s.id, s]));
    return rows.map((r) => eventView(r, r.spaceId ? spaces.get(r.spaceId) : undefined));
  }

  async function checkRefs(input: { spaceId?: string; editionId?: string }) {
    if (input.spaceId && (await repo.spacesByIds(db, [input.spaceId])).length === 0) throw new AppError('space-not-found');
    if (input.editionId && !(await repo.editionById(db, input.editionId))) throw new AppError('edition-not-found');
  }

  return {
    async createEdition(actor: Actor, input: { name: string; startsOn: string; endsOn: string }) {
      if (input.endsOn < input.startsOn) throw new AppError('event-dates-invalid', { errors: [{ path: '/endsOn', message: 'must not be before startsOn' }] });
      return db.transaction(async (tx) => {
        const edition = await repo.insertEdition(tx, input);
        const milestones = await repo.insertMilestones(tx, timeline(input.startsOn, input.endsOn).map((m) => ({ editionId: edition.id, ...m })));
        await audit.record(tx, { actor, action: 'event.edition_create', targetType: 'event_edition', targetId: edition.id });
        return editionView(edition, milestones, dayIn(clock(), deps.timeZone));
      });
    },

    async listEditions() {
      const editions = await repo.listEditions(db);
      const milestones = await repo.milestonesOf(db, editions.map((e) => e.id));
      const today = dayIn(clock(), deps.timeZone);
      return editions.map((e) => editionView(e, milestones.filter((m) => m.editionId === e.id), today));
    },

    async updateMilestone(actor: Actor, editionId: string, key: string, patch: { owner?: string | null; status?: MilestoneStatus }) {
      return db.transaction(async (tx) => {
        const row = await repo.updateMilestone(tx, editionId, key, patch, clock());
        if (!row) throw new AppError('milestone-not-found');
        await audit.record(tx, { actor, action: 'event.milestone_update', targetType: 'event_edition', targetId: editionId });
        const edition = (await repo.editionById(tx, editionId))!;
        return editionView(edition, await repo.milestonesOf(tx, [editionId]), dayIn(clock(), deps.timeZone));
      });
    },

    async createSpace(actor: Actor, input: { name: string; kind: string; address: string; capacity?: number; accessibility?: string[]; languages?: string[]; contact?: string }) {
      checkEventInput({ languages: input.languages });
      return db.transaction(async (tx) => {
        const row = await repo.insertSpace(tx, input);
        await audit.record(tx, { actor, action: 'event.space_create', targetType: 'event_space', targetId: row.id });
        return spaceView(row);
      });
    },

    async updateSpace(actor: Actor, id: string, patch: { name?: string; kind?: string; address?: string; capacity?: number; accessibility?: string[]; languages?: string[]; contact?: string }) {
      checkEventInput({ languages: patch.languages });
      return db.transaction(async (tx) => {
        const row = await repo.updateSpace(tx, id, { ...patch, updatedAt: clock() });
        if (!row) throw new AppError('space-not-found');
        await audit.record(tx, { actor, action: 'event.space_update', targetType: 'event_space', targetId: id });
        return spaceView(row);
      });
    },

    listSpaces: async () => (await repo.listSpaces(db)).map(spaceView),

    /** A partner organisation's event is a proposal until the city publishes it. */
    async createEvent(actor: Actor, input: EventInput): Promise<EventView> {
      const timeZone = input.timeZone ?? deps.timeZone;
      checkEventInput({ ...input, timeZone });
      if (!input.place === !input.spaceId) throw new AppError('validation-failed', { errors: [{ path: '/place', message: 'give either place or spaceId' }] });
      if (input.rsvp !== 'none' && input.capacity === undefined) throw new AppError('validation-failed', { errors: [{ path: '/capacity', message: 'an event with RSVPs needs a capacity' }] });
      if (input.rsvp === 'lottery' && !(input.drawAt && new Date(input.drawAt) < new Date(input.startsAt) && new Date(input.drawAt) > clock())) {
        throw new AppError('event-draw-invalid', { errors: [{ path: '/drawAt', message: 'a lottery needs a draw time between now and the start' }] });
      }
      await checkRefs(input);
      const id = randomUUID();
      // The lottery's seed is fixed now and its hash published, before anyone can enter.
      const seed = input.rsvp === 'lottery' ? deps.random(32) : undefined;
      return db.transaction(async (tx) => {
        const row = await repo.insertEvent(tx, {
          id,
          status: actor.type === 'partner_service' ? 'proposed' : 'published',
          editionId: input.editionId ?? null,
          spaceId: input.spaceId ?? null,
          title: input.title,
          description: input.description ?? null,
          category: input.category,
          startsAt: new Date(input.startsAt),
          endsAt: new Date(input.endsAt),
          timeZone,
          place: input.place ?? null,
          languages: input.languages ?? [],
          accessibility: input.accessibility ?? [],
          capacity: input.capacity ?? null,
          access: input.access,
          rsvp: input.rsvp,
          drawAt: input.drawAt ? new Date(input.drawAt) : null,
          seedHash: seed ? seedCommitment(seed) : null,
          sealedSeed: seed ? deps.cipher.encrypt(seed, seedAad(id)) : null,
          createdBy: actor.id ?? null,
        });
        await audit.record(tx, { actor, action: row.status === 'proposed' ? 'event.propose' : 'event.create', targetType: 'event', targetId: id });
        return (await withPlaces([row], tx))[0]!;
      });
    },

    async updateEvent(actor: Actor, id: string, patch: EventPatch): Promise<EventView> {
      const current = await repo.eventById(db, id);
      if (!current) throw new AppError('event-not-found');
      checkEventInput(patch, current);
      await checkRefs(patch);
      return db.transaction(async (tx) => {
        const { startsAt, endsAt, ...rest } = patch;
        const row = await repo.updateEvent(tx, id, {
          ...rest,
          ...(startsAt ? { startsAt: new Date(startsAt) } : {}),
          ...(endsAt ? { endsAt: new Date(endsAt) } : {}),
          ...(patch.place ? { spaceId: null } : patch.spaceId ? { place: null } : {}),
          updatedAt: clock(),
        });
        await audit.record(tx, { actor, action: 'event.update', targetType: 'event', targetId: id });
        return (await withPlaces([row!], tx))[0]!;
      });
    },

    async publish(actor: Actor, id: string): Promise<EventView> {
      return db.transaction(async (tx) => {
        const row = await repo.updateEvent(tx, id, { status: 'published', updatedAt: clock() });
        if (!row) throw new AppError('event-not-found');
        await audit.record(tx, { actor, action: 'event.publish', targetType: 'event', targetId: id });
        return (await withPlaces([row], tx))[0]!;
      });
    },

    /** Deletes the event with its RSVPs and tickets. */
    async deleteEvent(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await repo.deleteEvent(tx, id))) throw new AppError('event-not-found');
        await audit.record(tx, { actor, action: 'event.delete', targetType: 'event', targetId: id });
      });
    },

    /** The published programme (or proposals, for the console). */
    list: async (filter: EventFilter) => withPlaces(await repo.listEvents(db, { status: 'published', ...filter })),

    async get(id: string, opts: { published?: boolean } = {}): Promise<EventView> {
      const row = await repo.eventById(db, id);
      if (!row || (opts.published && row.status !== 'published')) throw new AppError('event-not-found');
      return (await withPlaces([row]))[0]!;
    },

    ics: (list: EventView[], lang: string) => calendar(list, { lang, publicUrl: deps.publicUrl, cityName: deps.cityName, now: clock() }),
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
