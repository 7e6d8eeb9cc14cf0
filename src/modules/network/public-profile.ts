/**
 * A city's public profile for the map of the network (DESIGN.md "Main
 * routes": GET /v1/network): what it sets as data in
 * templates/network/city-profile.json, plus two live figures read only when
 * their tables exist (benefits' offers, events' Welcoming Week editions) —
 * this module does not depend on those modules. Published in the city's
 * signed issuer metadata as its `public` member, so partners can show it.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { fromRoot } from '../../paths.js';

export const PROFILE_FILE = fromRoot('templates', 'network', 'city-profile.json');
const LANG = /^[a-z]{2,3}$/;
const MAX_TEXT = 600;

export interface PublicProfile {
  website?: string;
  coordinates?: { lat: number; lon: number };
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: since when the city issues the card. */
  since?: string;
  languages?: string[];
  /** A few lines per language on the city's reception actions. */
  receptionActions?: Record<string, string>;
  /** Offers of partner organisations open to card holders today. */
  offersCount?: number;
  /** The next (or current) Welcoming Week, as local dates. */
  nextWelcomingWeek?: { name: string; startsOn: string; endsOn: string };
}

/**
 * Checks a profile read from the file or from a partner's signed metadata;
 * returns only the fields that are well formed (a partner's bad field is
 * dropped, not fatal). `strict` throws instead (the city's own file, at start-up).
 */
export function cleanProfile(raw: unknown, strict = false): PublicProfile {
  const out: PublicProfile = {};
  if (typeof raw !== 'object' || raw === null) return out;
  const p = raw as Record<string, unknown>;
  const fail = (field: string) => {
    if (strict) throw new Error(`${PROFILE_FILE}: ${field} is not valid`);
  };
  if (p.website !== undefined) {
    if (typeof p.website === 'string' && p.website.length <= 300 && /^https:\/\/[^\s/?#]+[^\s]*$/.test(p.website)) out.website = p.website;
    else fail('website');
  }
  if (p.coordinates !== undefined) {
    const c = p.coordinates as Record<string, unknown> | null;
    const ok = c && typeof c.lat === 'number' && typeof c.lon === 'number' && Math.abs(c.lat) <= 90 && Math.abs(c.lon) <= 180;
    if (ok) out.coordinates = { lat: c.lat as number, lon: c.lon as number };
    else fail('coordinates');
  }
  if (p.since !== undefined) {
    if (typeof p.since === 'string' && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(p.since)) out.since = p.since;
    else fail('since');
  }
  if (p.languages !== undefined) {
    if (Array.isArray(p.languages) && p.languages.length <= 30 && p.languages.every((l) => typeof l === 'string' && LANG.test(l))) out.languages = p.languages as string[];
    else fail('languages');
  }
  if (p.receptionActions !== undefined) {
    const r = p.receptionActions as Record<string, unknown> | null;
    const ok = r && typeof r === 'object' && Object.entries(r).length <= 30 && Object.entries(r).every(([k, v]) => LANG.test(k) && typeof v === 'string' && v.length <= MAX_TEXT);
    if (ok) out.receptionActions = { ...(r as Record<string, string>) };
    else fail('receptionActions');
  }
  if (p.offersCount !== undefined) {
    if (Number.isSafeInteger(p.offersCount) && (p.offersCount as number) >= 0) out.offersCount = p.offersCount as number;
    else fail('offersCount');
  }
  if (p.nextWelcomingWeek !== undefined) {
    const w = p.nextWelcomingWeek as Record<string, unknown> | null;
    const day = /^\d{4}-\d{2}-\d{2}$/;
    if (w && typeof w.name === 'string' && w.name.length <= 200 && typeof w.startsOn === 'string' && day.test(w.startsOn) && typeof w.endsOn === 'string' && day.test(w.endsOn)) {
      out.nextWelcomingWeek = { name: w.name, startsOn: w.startsOn, endsOn: w.endsOn };
    } else fail('nextWelcomingWeek');
  }
  return out;
}

/** The city's section of the profile file (over `default`), checked; throws on a malformed field. */
export function loadProfile(cityId: string, file = PROFILE_FILE): PublicProfile {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { default?: unknown; cities?: Record<string, unknown> };
  const strip = (o: unknown) => {
    if (typeof o !== 'object' || o === null) return {};
    const { $comment: _c, ...rest } = o as Record<string, unknown>;
    return rest;
  };
  return cleanProfile({ ...strip(doc.default), ...strip(doc.cities?.[cityId]) }, true);
}

/** Whether a table exists (the optional modules' tables are read only then). */
async function hasTable(db: Executor, name: string): Promise<boolean> {
  const r = await db.execute(sql`select to_regclass(${`public.${name}`}) is not null as present`);
  const rows = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Array<{ present: boolean }>;
  return rows[0]?.present === true;
}

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

/**
 * The profile with today's live figures: offers open today (benefit_offers,
 * not retired, within their dates) and the next Welcoming Week not yet over
 * (event_editions) — each only when its table exists.
 */
export function createProfileSource(deps: { db: Executor; cityId: string; clock: () => Date; today: (now: Date) => string; file?: string }) {
  const base = loadProfile(deps.cityId, deps.file);
  return async (): Promise<PublicProfile> => {
    const today = deps.today(deps.clock());
    const out: PublicProfile = { ...base };
    if (await hasTable(deps.db, 'benefit_offers')) {
      const [row] = rowsOf<{ n: number | string }>(await deps.db.execute(sql`select count(*)::int as n from benefit_offers where retired_at is null and (valid_from is null or valid_from <= ${today}::date) and (valid_until is null or valid_until >= ${today}::date)`));
      out.offersCount = Number(row?.n ?? 0);
    }
    if (await hasTable(deps.db, 'event_editions')) {
      const [row] = rowsOf<{ name: string; starts_on: string | Date; ends_on: string | Date }>(await deps.db.execute(sql`select name, starts_on::text as starts_on, ends_on::text as ends_on from event_editions where ends_on >= ${today}::date order by starts_on limit 1`));
      if (row) out.nextWelcomingWeek = { name: row.name, startsOn: String(row.starts_on), endsOn: String(row.ends_on) };
    }
    return out;
  };
}

export type ProfileSource = ReturnType<typeof createProfileSource>;
