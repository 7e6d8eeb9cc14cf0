/**
 * Sample cards, one per script the card must print: used by the tests, the
 * benchmark and scripts/render-card.ts. Not real people.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { base45Encode } from '../credential/base45-codec.js';
import type { CardView } from './render.js';
import type { CardTheme } from './theme.js';

/**
 * QR text of the size a real credential has: Base45 of `bytes` bytes
 * (deterministic filler, not a valid credential; a typical card compresses
 * to ~240 bytes, 360 characters, QR version 11).
 */
export function sampleQrText(seed = 'sample', bytes = 240): string {
  const out = new Uint8Array(bytes);
  for (let i = 0; i * 32 < bytes; i++) out.set(createHash('sha256').update(`${seed}:${i}`).digest().subarray(0, Math.min(32, bytes - i * 32)), i * 32);
  return base45Encode(out);
}

/** A small portrait-shaped JPEG (a drawn silhouette), like the clerk's re-encoded photo. */
export async function samplePhoto(width = 300, height = 385): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 300 385">
    <defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#cfd9e3"/><stop offset="1" stop-color="#9fb2c4"/></linearGradient></defs>
    <rect width="300" height="385" fill="url(#bg)"/>
    <path d="M40 385 C45 290 95 262 150 262 C205 262 255 290 260 385 Z" fill="#3d5a73"/>
    <rect x="128" y="215" width="44" height="55" rx="14" fill="#b98a6a"/>
    <ellipse cx="150" cy="160" rx="62" ry="76" fill="#c99b7a"/>
    <path d="M86 150 C84 82 120 70 150 70 C185 70 218 86 214 150 C205 118 190 104 150 104 C112 104 95 118 86 150 Z" fill="#2b211c"/>
    <ellipse cx="127" cy="165" rx="6" ry="4" fill="#2b211c"/><ellipse cx="173" cy="165" rx="6" ry="4" fill="#2b211c"/>
    <path d="M132 200 Q150 212 168 200" stroke="#7a4a3a" stroke-width="4" fill="none"/>
  </svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer());
}

export interface Sample {
  /** Short id, used in file names. */
  id: string;
  /** What the sample exercises. */
  script: string;
  view: CardView;
}

type Person = Pick<CardView, 'printedName' | 'originalName' | 'birthDate' | 'marker' | 'holderLanguage'>;

const PEOPLE: Array<{ id: string; script: string; person: Person }> = [
  { id: 'arabic', script: 'Arabic', person: { printedName: 'Amina Haddad', originalName: 'أمينة حداد', birthDate: '1990-04', holderLanguage: 'ar' } },
  { id: 'latin', script: 'Latin with diacritics', person: { printedName: 'Zoë Łukasiewicz-Ñúñez', birthDate: '1987-11-23', marker: 'F', holderLanguage: 'es' } },
  { id: 'hebrew', script: 'Hebrew', person: { printedName: 'Noa Levi', originalName: 'נועה לוי', birthDate: '1979', holderLanguage: 'en' } },
  { id: 'cyrillic', script: 'Cyrillic', person: { printedName: 'Олександр Шевченко', originalName: 'Oleksandr Shevchenko', birthDate: '1992-02-29', marker: 'M', holderLanguage: 'fr' } },
  { id: 'greek', script: 'Greek', person: { printedName: 'Σοφία Παπαδοπούλου', birthDate: '2001-07', holderLanguage: 'en' } },
  { id: 'devanagari', script: 'Devanagari', person: { printedName: 'Priya Sharma', originalName: 'प्रिया शर्मा', birthDate: '1995-12-01', holderLanguage: 'en' } },
  { id: 'cjk', script: 'Chinese and Japanese', person: { printedName: '王小明', originalName: '髙橋 さくら', birthDate: null, holderLanguage: 'pt' } },
  { id: 'korean', script: 'Korean', person: { printedName: 'Kim Min-jun', originalName: '김민준', birthDate: '1984-05-17', marker: 'X', holderLanguage: 'en' } },
  { id: 'vietnamese', script: 'Vietnamese', person: { printedName: 'Nguyễn Thị Phương Thảo', birthDate: '1970', holderLanguage: 'fr' } },
];

/** One sample per script, issued by a demo city in `theme`. */
export async function sampleViews(theme: CardTheme, opts: { officialLanguage?: CardView['officialLanguage']; photo?: boolean } = {}): Promise<Sample[]> {
  const photo = opts.photo === false ? undefined : await samplePhoto();
  return PEOPLE.map(({ id, script, person }, i) => ({
    id,
    script,
    view: {
      city: { id: 'demo-city', name: 'Ville de Saint-Aubin' },
      theme,
      officialLanguage: opts.officialLanguage ?? 'fr',
      ...person,
      number: `SA-2026-${String(4815 + i * 1123).padStart(6, '0')}`,
      issuedOn: '2026-03-02',
      expiresOn: '2031-03-01',
      ...(photo ? { photoJpeg: photo } : {}),
      qrText: sampleQrText(id),
    },
  }));
}
