/** Shared inputs for the residents suites (not a test file: no `.test.`). */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

export const AMINA = {
  names: { printed: 'Amina Haddad', legal: 'Amina Haddad', original: 'أمينة حداد', transliteration: 'Amina Haddad' },
  birthDate: '1990-04',
  gender: { selfDescribed: 'non-binary', pronouns: 'they/them', marker: 'X', printMarker: false },
  address: { noFixedAddress: true, careOf: 'Foyer Saint-Jean' },
  addressConfidential: false,
  preferredLanguage: 'ar',
  languages: ['ar', 'fr'],
  evidence: [{ type: 'consular-id' }, { type: 'shelter-letter' }],
} as const;

/** A minimal valid enrolment: a printed name, a language, and enough evidence for the default rules. */
export function minimal(overrides: Record<string, unknown> = {}) {
  return { names: { printed: 'Kwame' }, preferredLanguage: 'fr', evidence: [{ type: 'passport' }, { type: 'lease' }], ...overrides };
}

/** A photo-sized picture with EXIF and a GPS-ish comment, to prove metadata is dropped. */
export async function samplePhoto(format: 'jpeg' | 'png' = 'jpeg', width = 800, height = 1000): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 180, g: 120, b: 90 } } }).withMetadata({
    exif: { IFD0: { Copyright: 'SECRET-EXIF-MARKER', ImageDescription: 'taken at 48.5734N 7.7521E' } },
  });
  return format === 'jpeg' ? img.jpeg().toBuffer() : img.png().toBuffer();
}

/** A picture of noise: its compressed bytes do not repeat, so a slice of them identifies it. */
export async function noisePhoto(width = 900, height = 1200): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}
