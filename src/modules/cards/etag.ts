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

/** gzip acceptable (RFC 9110 §12.5.3): named or `*`, with a q above 0. */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === 'x-gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}
