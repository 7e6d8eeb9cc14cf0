/**
 * A resident record ⇄ its row: every personal field sealed with AES-256-GCM
 * under the resident's own data key (resident-keys.ts; AAD
 * `residents.<column>:<id>`, so a value cannot be moved to another record),
 * the photo likewise, and the keyed blind indexes search uses.
 * The one place that knows how a record is laid out at rest.
 */
import type { BlindIndex } from '../../security/blind-index.js';
import { normaliseForIndex } from '../../security/blind-index.js';
import type { CardSubject } from '../cards/card-subject.js';
import { birthYear } from './birth-date.js';
import type { ResidentData } from './resident-record.js';
import type { HolderCipher } from './resident-keys.js';
import type { LookupKind, ResidentRow } from './residents-repository.js';

type Details = Pick<ResidentData, 'gender' | 'preferredLanguage' | 'languages' | 'guardianPresent' | 'emergencyContact' | 'printRightsPanel'>;

/** What the card's back prints for the road, only what the holder asked for (never in the QR). */
function roadOf(d: Details): Pick<CardSubject, 'road'> {
  const contact = d.emergencyContact?.print ? { phone: d.emergencyContact.phone, ...(d.emergencyContact.name ? { name: d.emergencyContact.name } : {}) } : undefined;
  if (!contact && !d.printRightsPanel) return {};
  return { road: { ...(contact ? { emergencyContact: contact } : {}), rightsPanel: d.printRightsPanel === true } };
}

export function createResidentSealer(blindIndex: BlindIndex) {
  const aad = (column: string, id: string) => `residents.${column}:${id}`;
  const seal = (c: HolderCipher, column: string, value: unknown) => c.encrypt(JSON.stringify(value), aad(column, c.residentId));
  const opener = (c: HolderCipher) => <T>(column: string, id: string, blob: Buffer): T => JSON.parse(c.decryptText(blob, aad(column, id))) as T;
  const photoAad = (id: string) => `resident_photos.photo:${id}`;

  return {
    decrypt(row: ResidentRow, c: HolderCipher): ResidentData {
      const open = opener(c);
      const details = open<Details>('details', row.id, row.details);
      const address = open<{ value: ResidentData['address']; confidential: boolean }>('address', row.id, row.address);
      return {
        names: open('names', row.id, row.names),
        birthDate: open('birth_date', row.id, row.birthDate),
        address: address.value,
        addressConfidential: address.confidential,
        ...details,
        evidence: open('evidence', row.id, row.evidence),
      };
    },

    sealed(c: HolderCipher, d: ResidentData) {
      return {
        names: seal(c, 'names', d.names),
        birthDate: seal(c, 'birth_date', d.birthDate),
        address: seal(c, 'address', { value: d.address, confidential: d.addressConfidential }),
        // The emergency contact rides in the sealed details: erased with the record (its data key), never in a column of its own.
        details: seal(c, 'details', {
          gender: d.gender,
          preferredLanguage: d.preferredLanguage,
          languages: d.languages,
          guardianPresent: d.guardianPresent,
          ...(d.emergencyContact ? { emergencyContact: d.emergencyContact } : {}),
          ...(d.printRightsPanel ? { printRightsPanel: true } : {}),
        }),
        evidence: seal(c, 'evidence', d.evidence),
      };
    },

    /** What a card prints, opening only those fields: the address and evidence stay sealed. */
    cardSubject(row: ResidentRow, c: HolderCipher): CardSubject {
      const open = opener(c);
      const names = open<ResidentData['names']>('names', row.id, row.names);
      const details = open<Details>('details', row.id, row.details);
      return {
        printedName: names.printed,
        ...(names.original ? { originalName: names.original } : {}),
        birthDate: open<string | null>('birth_date', row.id, row.birthDate),
        ...(details.gender.printMarker && details.gender.marker ? { marker: details.gender.marker } : {}),
        preferredLanguage: details.preferredLanguage as CardSubject['preferredLanguage'],
        ...roadOf(details),
      };
    },

    /** The birth date alone (holders by age band: nothing else is opened). */
    birthDateOf: (row: Pick<ResidentRow, 'id' | 'birthDate'>, c: HolderCipher): string | null => opener(c)<string | null>('birth_date', row.id, row.birthDate),

    /** Names and birth date only: what a search result shows. */
    summary(row: ResidentRow, c: HolderCipher): Pick<ResidentData, 'names' | 'birthDate'> {
      const open = opener(c);
      return { names: open('names', row.id, row.names), birthDate: open<string | null>('birth_date', row.id, row.birthDate) };
    },

    sealPhoto: (c: HolderCipher, jpeg: Uint8Array) => c.encrypt(jpeg, photoAad(c.residentId)),
    openPhoto: (c: HolderCipher, blob: Buffer) => c.decrypt(blob, photoAad(c.residentId)),

    /** Blind indexes of a record: name tokens, whole names with the birth date, the birth year. */
    lookups(d: Pick<ResidentData, 'names' | 'birthDate'>): Array<{ kind: LookupKind; value: string }> {
      const out = new Map<string, { kind: LookupKind; value: string }>();
      const add = (kind: LookupKind, value: string) => out.set(`${kind}:${value}`, { kind, value });
      for (const name of Object.values(d.names)) {
        const norm = normaliseForIndex(name);
        if (!norm) continue;
        for (const token of norm.split(' ')) add('token', blindIndex('resident-name-token', token));
        add('name_birth', blindIndex('resident-name-birth', `${norm}\u0000${d.birthDate ?? 'unknown'}`));
      }
      if (d.birthDate) add('birth_year', blindIndex('resident-birth-year', birthYear(d.birthDate)));
      return [...out.values()];
    },
  };
}

export type ResidentSealer = ReturnType<typeof createResidentSealer>;
