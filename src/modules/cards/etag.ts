/**
 * If-None-Match as RFC 9110 §13.1.2 says: weak comparison (`W/"x"` matches
 * `"x"` and `W/"x"`), a list of tags, or `*`.
 */
const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** @example ifNoneMatchHits('W/"abc", "def"', '"abc"') // true */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const ours = opaque(etag);
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === ours);
}
