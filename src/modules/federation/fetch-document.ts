/**
 * Fetching a partner's public document (metadata, status list) with a
 * timeout, a size cap and ETag revalidation — only from a public address,
 * checked by the outbound guard and pinned for the connection (src/http/
 * outbound-guard.ts). The transport is injected (tests route a partner's
 * URL to another in-process app).
 *
 * Every failure — refused target, unresolvable name, no answer, a status
 * other than 200 (redirects included: none is followed), too large — is the
 * same problem with the same detail, so the answers cannot be used to map
 * what this server can reach.
 */
import { AppError } from '../../errors/app-error.js';
import { fetchFailed, type OutboundGuard } from '../../http/outbound-guard.js';
import type { TransportInit } from '../../http/pinned-fetch.js';

/** The slice of the WHATWG fetch this module uses, plus the pinned address; src/http/pinned-fetch.ts is the real one. */
export type FetchFn = (url: string, init: TransportInit) => Promise<Response>;

export type Fetched = { notModified: true } | { notModified: false; body: string; etag: string | undefined };

export async function fetchDocument(
  fetchFn: FetchFn,
  url: string,
  opts: { guard: OutboundGuard; etag?: string | null; maxBytes: number; timeoutMs: number },
): Promise<Fetched> {
  const pin = await opts.guard.check(url);
  const headers: Record<string, string> = { accept: 'application/jose, application/jwt, application/statuslist+jwt;q=0.9, */*;q=0.1' };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  try {
    // No redirects: a partner publishes at the URL it was registered with.
    res = await fetchFn(url, { headers, signal, redirect: 'error', ...(pin ? { pin } : {}) });
  } catch {
    throw fetchFailed();
  }
  if (res.status === 304 && opts.etag) return { notModified: true };
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    throw fetchFailed();
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > opts.maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw fetchFailed();
  }
  const body = await readCapped(res, opts.maxBytes);
  return { notModified: false, body, etag: res.headers.get('etag') ?? undefined };
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw fetchFailed();
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (e instanceof AppError) throw e;
    throw fetchFailed();
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks)).trim();
}
