/** What the API shows of an event, an edition, a space (public views hold no one's data). */
import type { eventEditions, eventMilestones, events, eventSpaces } from './events-tables.js';
import { isLate } from './events-timeline.js';

export type EventRow = typeof events.$inferSelect;
export type SpaceRow = typeof eventSpaces.$inferSelect;
export type EditionRow = typeof eventEditions.$inferSelect;
export type MilestoneRow = typeof eventMilestones.$inferSelect;

export const CATEGORIES = ['music', 'cooking', 'testimonies', 'history-of-migration', 'sport', 'children', 'language-exchange', 'card-holder-meeting', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
export const RSVP_MODES = ['none', 'first-come', 'lottery'] as const;
export type RsvpMode = (typeof RSVP_MODES)[number];
export const ACCESS = ['open', 'card-holders'] as const;

export interface EventView {
  id: string;
  status: string;
  editionId: string | null;
  spaceId: string | null;
  title: Record<string, string>;
  description: Record<string, string> | null;
  category: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: { name: string; address: string } | null;
  languages: string[];
  accessibility: string[];
  capacity: number | null;
  access: string;
  rsvp: string;
  drawAt: string | null;
  /** Lottery: SHA-256 of the seed, published from the start; the seed itself once drawn. */
  seedHash: string | null;
  seed: string | null;
  drawnAt: string | null;
  counts: { entries: number | null; places: number | null; admitted: number };
}

/** The event as published; an event in a space shows the space's name and address as its place. */
export function eventView(row: EventRow, space?: SpaceRow): EventView {
  return {
    id: row.id,
    status: row.status,
    editionId: row.editionId,
    spaceId: row.spaceId,
    title: row.title,
    description: row.description ?? null,
    category: row.category,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    timeZone: row.timeZone,
    place: space ? { name: space.name, address: space.address } : (row.place ?? null),
    languages: row.languages,
    accessibility: row.accessibility,
    capacity: row.capacity,
    access: row.access,
    rsvp: row.rsvp,
    drawAt: row.drawAt?.toISOString() ?? null,
    seedHash: row.seedHash,
    seed: row.seed,
    drawnAt: row.drawnAt?.toISOString() ?? null,
    counts: { entries: row.entriesCount, places: row.placesCount, admitted: row.admittedCount },
  };
}

export function editionView(row: EditionRow, milestones: MilestoneRow[], today: string) {
  return {
    id: row.id,
    name: row.name,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    milestones: milestones
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn))
      .map((m) => ({ key: m.key, dueOn: m.dueOn, owner: m.owner, status: m.status, late: isLate(m, today) })),
  };
}

export function spaceView(row: SpaceRow) {
  return { id: row.id, name: row.name, kind: row.kind, address: row.address, capacity: row.capacity, accessibility: row.accessibility, languages: row.languages, contact: row.contact };
}
