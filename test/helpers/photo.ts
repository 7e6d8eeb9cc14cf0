/**
 * A card photo for suites that issue cards: the city's default rules issue a
 * card only once its record has a photo (409 photo-required otherwise).
 */
import sharp from 'sharp';

let cached: Promise<Buffer> | undefined;

/** A small generated JPEG at the smallest size the service accepts (240×300), made once per process. */
export function cardPhoto(): Promise<Buffer> {
  cached ??= sharp({ create: { width: 240, height: 300, channels: 3, background: { r: 160, g: 130, b: 110 } } })
    .jpeg({ quality: 70 })
    .toBuffer();
  return cached;
}

/** The headers and body of `PUT /v1/residents/:id/photo` with that photo. */
export async function photoUpload(authorization: string): Promise<{ headers: Record<string, string>; payload: Buffer }> {
  return { headers: { authorization, 'content-type': 'image/jpeg' }, payload: await cardPhoto() };
}
