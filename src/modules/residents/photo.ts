/**
 * Resident photos: checked by content (never by the declared type alone),
 * bounded in bytes and pixels before any decoding (a 20000×20000 PNG of one
 * colour is a few kilobytes that would decode to 1.6 GB), then re-encoded as
 * a baseline JPEG at the card's size with every metadata block dropped
 * (EXIF GPS, camera serials, XMP, ICC) — sharp keeps none unless asked.
 */
import type sharpType from 'sharp';

/** libvips is loaded on the first photo, not at start. */
let sharpModule: Promise<typeof sharpType> | undefined;
const loadSharp = () => (sharpModule ??= import('sharp').then((m) => m.default));
import { AppError } from '../../errors/app-error.js';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Decoding limit (sharp's limitInputPixels): 40 MP covers any phone or webcam. */
export const PHOTO_MAX_PIXELS = 40_000_000;
export const PHOTO_MAX_SIDE = 12_000;
/** Smaller than this, a face on a card is not recognisable. */
export const PHOTO_MIN_WIDTH = 240;
export const PHOTO_MIN_HEIGHT = 300;
/** Stored and printed size: 4:5, as the card's photo box. */
export const CARD_PHOTO_WIDTH = 600;
export const CARD_PHOTO_HEIGHT = 750;

export type PhotoType = 'image/jpeg' | 'image/png';

/** The type the bytes say they are (magic numbers), whatever the header claims. */
export function sniffImage(buf: Buffer): PhotoType | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

export interface ProcessedPhoto {
  jpeg: Buffer;
  width: number;
  height: number;
}

/** Checks and re-encodes a photo, or throws AppError (`photo-type-invalid`, `photo-dimensions-invalid`, `payload-too-large`). */
export async function processPhoto(buf: Buffer, declared: string): Promise<ProcessedPhoto> {
  if (buf.length > PHOTO_MAX_BYTES) throw new AppError('payload-too-large', { detail: `A photo may be at most ${PHOTO_MAX_BYTES} bytes.` });
  const sniffed = sniffImage(buf);
  if (!sniffed || sniffed !== declared) {
    throw new AppError('photo-type-invalid', { detail: 'The body is not a JPEG or PNG image, or not the type its Content-Type names.' });
  }
  const sharp = await loadSharp();
  let meta: sharpType.Metadata;
  try {
    // Reads the header only: the dimensions are known before anything is decoded.
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('photo-type-invalid', { detail: 'The image cannot be read.' });
  }
  const { width = 0, height = 0 } = meta;
  if (meta.format !== (sniffed === 'image/jpeg' ? 'jpeg' : 'png')) throw new AppError('photo-type-invalid', { detail: 'The image cannot be read.' });
  if (width > PHOTO_MAX_SIDE || height > PHOTO_MAX_SIDE || width * height > PHOTO_MAX_PIXELS) {
    throw new AppError('photo-dimensions-invalid', { detail: `A photo may have at most ${PHOTO_MAX_PIXELS} pixels and ${PHOTO_MAX_SIDE} on a side.` });
  }
  // The orientation tag may turn the picture: judge the size as it will be shown.
  const turned = (meta.orientation ?? 1) >= 5;
  const [w, h] = turned ? [height, width] : [width, height];
  if (w < PHOTO_MIN_WIDTH || h < PHOTO_MIN_HEIGHT) {
    throw new AppError('photo-dimensions-invalid', { detail: `A photo must be at least ${PHOTO_MIN_WIDTH}×${PHOTO_MIN_HEIGHT} pixels.` });
  }
  try {
    const { data, info } = await sharp(buf, { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error', sequentialRead: true })
      .rotate()
      .resize(CARD_PHOTO_WIDTH, CARD_PHOTO_HEIGHT, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: 85, chromaSubsampling: '4:2:0' })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height };
  } catch {
    // Truncated or corrupt data past the header.
    throw new AppError('photo-type-invalid', { detail: 'The image cannot be decoded.' });
  }
}
