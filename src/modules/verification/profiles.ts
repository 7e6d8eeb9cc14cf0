/**
 * What each kind of verifier sees of a card (DESIGN.md "Verification
 * result"). The response schemas below are the guard: the serializer of each
 * profile drops every field its schema does not name.
 */
import { Type, type TSchema } from 'typebox';
import type { Profile } from '../staff/roles.js';
import { CounterOfferSchema } from '../benefits/counter-hook.js';

export type Viewer = 'full' | Profile;

const Issuer = Type.Object({ id: Type.String(), name: Type.String(), country: Type.String() });
const base = {
  result: Type.String(),
  kind: Type.Union([Type.Literal('card'), Type.Literal('resident_proof')]),
  issuer: Type.Optional(Issuer),
  checkedAt: Type.String(),
  statusListAge: Type.Optional(Type.Integer()),
  /** For foreign_issuer: a genuine card of that city (checked through the world directory), in force there. */
  genuine: Type.Optional(Type.Boolean()),
  cardStatus: Type.Optional(Type.Union(['valid', 'expired', 'not_yet_valid', 'suspended', 'revoked'].map((s) => Type.Literal(s)))),
  /** For a resident proof: the day until which the holder is a valid card holder. */
  validUntil: Type.Optional(Type.String()),
  /** For a partner organisation's principal and a valid card: its offers for this holder (src/modules/benefits). */
  offers: Type.Optional(Type.Array(CounterOfferSchema)),
};
const Photo = Type.Optional(Type.String({ description: 'data:image/jpeg;base64 — for cards of this city' }));

const CARD_FIELDS: Record<Viewer, Record<string, TSchema> | undefined> = {
  full: {
    number: Type.String(),
    name: Type.String(),
    birthDate: Type.Union([Type.String(), Type.Null()]),
    marker: Type.Optional(Type.String()),
    issuedOn: Type.String(),
    expiresOn: Type.String(),
    photo: Photo,
  },
  name_and_photo: { name: Type.String(), expiresOn: Type.String(), photo: Photo },
  name_photo_birthdate: { name: Type.String(), birthDate: Type.Union([Type.String(), Type.Null()]), expiresOn: Type.String(), photo: Photo },
  residency_only: undefined,
};

export const VERIFY_RESPONSE: Record<Viewer, TSchema> = Object.fromEntries(
  (Object.keys(CARD_FIELDS) as Viewer[]).map((v) => {
    const fields = CARD_FIELDS[v];
    return [v, Type.Object({ ...base, profile: Type.Literal(v), ...(fields ? { card: Type.Optional(Type.Object(fields)) } : {}) }, { $id: `VerifyResult_${v}` })];
  }),
) as unknown as Record<Viewer, TSchema>;

export function seesPhoto(v: Viewer): boolean {
  return v !== 'residency_only';
}
