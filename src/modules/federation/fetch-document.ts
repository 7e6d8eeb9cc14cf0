/**
 * Fetching a partner's public document (metadata, status list) with a
 * timeout, a size cap and ETag revalidation. The fetch function is injected
 * (tests route a partner's URL to another in-process app).
 */
import { AppError } from '../../errors/app-error.js';

/** The slice of the WHATWG fetch this module uses; global `fetch` fits. */
export type FetchFn = (url: string, init: { headers: Record<string, string>; signal: AbortSignal; redirect: 'error' }) => Promise<Response>;

export type Fetched = { notModified: true } | { notModified: false; body: string; etag: string | undefined };

export async function fetchDocument(fetchFn: FetchFn, url: string, opts: { etag?: string | null; maxBytes: number; timeoutMs: number }): Promise<Fetched> {
  const headers: Record<string, string> = { accept: 'application/jose, application/jwt, application/statuslist+jwt;q=0.9, */*;q=0.1' };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  try {
    // No redirects: a partner publishes at the URL it was registered with.
    res = await fetchFn(url, { headers, signal, redirect: 'error' });
  } catch (e) {
    throw new AppError('partner-fetch-failed', { detail: signal.aborted ? 'timed out' : `unreachable (${(e as Error).message})` });
  }
  if (res.status === 304 && opts.etag) return { notModified: true };
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    throw new AppError('partner-fetch-failed', { detail: `HTTP ${res.status}` });
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > opts.maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new AppError('partner-fetch-failed', { detail: 'too large' });
  }
  const body = await readCapped(res, opts.maxBytes, signal);
  return { notModified: false, body, etag: res.headers.get('etag') ?? undefined };
}

async function readCapped(res: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw new AppError('partner-fetch-failed', { detail: 'too large' });
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (e instanceof AppError) throw e;
    throw new AppError('partner-fetch-failed', { detail: signal.aborted ? 'timed out' : 'read failed' });
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks)).trim();
}
