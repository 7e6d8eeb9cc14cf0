/**
 * Partner organisations and their offers: the administrators' register and
 * the public directory. Knows nothing of HTTP; throws AppError.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { AppError, type FieldError } from '../../errors/app-error.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import { knownLanguage } from '../events/events-validation.js';
import type { BenefitsRepository, DirectoryFilter, OfferWithPartner, PartnerRow } from './benefits-repository.js';
import type { Limit } from './benefits-schemas.js';
import type { PartnerAddress } from './benefits-tables.js';
import { localDate } from './offer-rules.js';

export interface PartnerInput {
  name: string;
  category: string;
  description?: Record<string, string>;
  addresses?: PartnerAddress[];
  hours?: string;
  languages?: string[];
  accessibility?: string[];
  website?: string;
  phone?: string;
  acceptsCardAsId?: boolean;
}

export interface OfferInput {
  title: Record<string, string>;
  description?: Record<string, string>;
  kind: string;
  limit: { per: Limit };
  ageMin?: number | null;
  ageMax?: number | null;
  validFrom?: string | null;
  validUntil?: string | null;
  partnerCityHolders?: boolean;
}

export function toPartnerView(r: PartnerRow) {
  return {
    id: r.id,
    name: r.name,
    category: r.category,
    description: r.description,
    addresses: r.addresses,
    hours: r.hours,
    languages: r.languages,
    accessibility: r.accessibility,
    website: r.website,
    phone: r.phone,
    acceptsCardAsId: r.acceptsCardAsId,
    acceptanceConfirmedOn: r.acceptanceConfirmedOn,
    retired: r.retiredAt !== null,
  };
}

export function toOfferView(r: OfferWithPartner) {
  return {
    id: r.id,
    partnerId: r.partnerId,
    partner: { name: r.partnerName, category: r.partnerCategory },
    title: r.title,
    description: r.description,
    kind: r.kind,
    limit: { per: r.limitPer },
    ageMin: r.ageMin,
    ageMax: r.ageMax,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    partnerCityHolders: r.partnerCityHolders,
    retired: r.retiredAt !== null,
  };
}

/** A strong ETag of a public document's exact bytes. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function checkPartner(input: Partial<PartnerInput>) {
  const bad: FieldError[] = (input.languages ?? []).flatMap((l, i) => (knownLanguage(l) ? [] : [{ path: `/languages/${i}`, message: `unknown language: ${l}` }]));
  if (bad.length > 0) throw new AppError('language-unknown', { errors: bad });
  const half = (input.addresses ?? []).flatMap((a, i) => ((a.lat === undefined) !== (a.lon === undefined) ? [{ path: `/addresses/${i}`, message: 'lat and lon go together' }] : []));
  if (half.length > 0) throw new AppError('validation-failed', { errors: half });
}

function checkOffer(o: { ageMin: number | null; ageMax: number | null; validFrom: string | null; validUntil: string | null }) {
  if (o.ageMin !== null && o.ageMax !== null && o.ageMin > o.ageMax) throw new AppError('offer-age-range-invalid', { errors: [{ path: '/ageMax', message: 'must be at least ageMin' }] });
  if (o.validFrom !== null && o.validUntil !== null && o.validFrom > o.validUntil) throw new AppError('offer-dates-invalid', { errors: [{ path: '/validUntil', message: 'must be on or after validFrom' }] });
}

export function createBenefitsService(deps: { db: Db; repo: BenefitsRepository; audit: Pick<AuditService, 'record'>; clock: () => Date; timeZone: string }) {
  const { db, repo, audit, clock } = deps;
  const today = () => localDate(clock(), deps.timeZone);

  async function offerOrThrow(id: string) {
    const o = await repo.offerById(db, id);
    if (!o) throw new AppError('offer-not-found');
    return o;
  }

  return {
    async createPartner(actor: Actor, input: PartnerInput) {
      checkPartner(input);
      return db.transaction(async (tx) => {
        const row = await repo.insertPartner(tx, {
          name: input.name,
          category: input.category,
          description: input.description ?? {},
          addresses: input.addresses ?? [],
          hours: input.hours ?? null,
          languages: input.languages ?? [],
          accessibility: input.accessibility ?? [],
          website: input.website ?? null,
          phone: input.phone ?? null,
          acceptsCardAsId: input.acceptsCardAsId ?? false,
          acceptanceConfirmedOn: input.acceptsCardAsId !== undefined ? today() : null,
        });
        await audit.record(tx, { actor, action: 'benefits.partner_create', targetType: 'benefit_partner', targetId: row.id });
        return toPartnerView(row);
      });
    },

    async updatePartner(actor: Actor, id: string, patch: Partial<PartnerInput>) {
      checkPartner(patch);
      return db.transaction(async (tx) => {
        const current = await repo.partnerById(tx, id, { forUpdate: true });
        if (!current) throw new AppError('organisation-not-found');
        const row = await repo.updatePartner(tx, id, {
          ...patch,
          ...(patch.acceptsCardAsId !== undefined ? { acceptanceConfirmedOn: today() } : {}),
          updatedAt: clock(),
        });
        await audit.record(tx, { actor, action: 'benefits.partner_update', targetType: 'benefit_partner', targetId: id });
        return toPartnerView(row);
      });
    },

    /** Retires a partner: it leaves the directory, its offers can no longer be redeemed, its counts stay. */
    async retirePartner(actor: Actor, id: string) {
      await db.transaction(async (tx) => {
        const current = await repo.partnerById(tx, id, { forUpdate: true });
        if (!current) throw new AppError('organisation-not-found');
        if (current.retiredAt) return;
        await repo.updatePartner(tx, id, { retiredAt: clock(), updatedAt: clock() });
        await audit.record(tx, { actor, action: 'benefits.partner_retire', targetType: 'benefit_partner', targetId: id });
      });
    },

    async createOffer(actor: Actor, partnerId: string, input: OfferInput) {
      const fields = { ageMin: input.ageMin ?? null, ageMax: input.ageMax ?? null, validFrom: input.validFrom ?? null, validUntil: input.validUntil ?? null };
      checkOffer(fields);
      const id = await db.transaction(async (tx) => {
        const partner = await repo.partnerById(tx, partnerId);
        if (!partner || partner.retiredAt) throw new AppError('organisation-not-found');
        const row = await repo.insertOffer(tx, {
          partnerId,
          title: input.title,
          description: input.description ?? {},
          kind: input.kind,
          limitPer: input.limit.per,
          ...fields,
          partnerCityHolders: input.partnerCityHolders ?? false,
        });
        await audit.record(tx, { actor, action: 'benefits.offer_create', targetType: 'benefit_offer', targetId: row.id });
        return row.id;
      });
      return toOfferView(await offerOrThrow(id));
    },

    async updateOffer(actor: Actor, id: string, patch: Partial<OfferInput>) {
      await db.transaction(async (tx) => {
        const current = await repo.offerById(tx, id);
        if (!current) throw new AppError('offer-not-found');
        const merged = {
          ageMin: patch.ageMin !== undefined ? patch.ageMin : current.ageMin,
          ageMax: patch.ageMax !== undefined ? patch.ageMax : current.ageMax,
          validFrom: patch.validFrom !== undefined ? patch.validFrom : current.validFrom,
          validUntil: patch.validUntil !== undefined ? patch.validUntil : current.validUntil,
        };
        checkOffer(merged);
        const { limit, ...rest } = patch;
        await repo.updateOffer(tx, id, { ...rest, ...merged, ...(limit ? { limitPer: limit.per } : {}), updatedAt: clock() });
        await audit.record(tx, { actor, action: 'benefits.offer_update', targetType: 'benefit_offer', targetId: id });
      });
      return toOfferView(await offerOrThrow(id));
    },

    async retireOffer(actor: Actor, id: string) {
      await db.transaction(async (tx) => {
        const current = await repo.offerById(tx, id);
        if (!current) throw new AppError('offer-not-found');
        if (current.retiredAt) return;
        await repo.updateOffer(tx, id, { retiredAt: clock(), updatedAt: clock() });
        await audit.record(tx, { actor, action: 'benefits.offer_retire', targetType: 'benefit_offer', targetId: id });
      });
    },

    async listPartners(f: DirectoryFilter, page: { limit: number; offset: number }) {
      const { rows, total } = await repo.listPartners(db, f, page);
      return { items: rows.map(toPartnerView), total, ...page };
    },

    async listOffers(f: DirectoryFilter, page: { limit: number; offset: number }) {
      const { rows, total } = await repo.listOffers(db, { ...f, today: today() }, page);
      return { items: rows.map(toOfferView), total, ...page };
    },

    /** RFC 7946 FeatureCollection: one Point per partner address with coordinates. */
    async geojson(f: DirectoryFilter) {
      const rows = await repo.mappablePartners(db, f);
      return {
        type: 'FeatureCollection' as const,
        features: rows.flatMap((p) =>
          p.addresses
            .filter((a) => a.lat !== undefined && a.lon !== undefined)
            .map((a) => ({
              type: 'Feature' as const,
              // RFC 7946 §3.1.1: longitude first.
              geometry: { type: 'Point' as const, coordinates: [a.lon!, a.lat!] },
              properties: {
                id: p.id,
                name: p.name,
                category: p.category,
                acceptsCardAsId: p.acceptsCardAsId,
                address: [a.line1, a.postalCode, a.locality].filter(Boolean).join(', '),
                ...(p.hours ? { hours: p.hours } : {}),
              },
            })),
        ),
      };
    },

    partnerExists: (id: string) => repo.partnerExists(db, id),
  };
}

export type BenefitsService = ReturnType<typeof createBenefitsService>;
