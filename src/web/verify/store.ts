/**
 * What the page keeps on the device: the pinned root key and the last verifier
 * bundle, in Cache Storage. Neither is personal data. Scanned codes and
 * results are never stored anywhere.
 */
import type { PinnedRoot } from './trust.js';

const CACHE = 'lcc-verify-trust-v1';
const ROOT_KEY = '/verify/.trust/root';
const BUNDLE_KEY = '/verify/.trust/bundle';

export interface StoredBundle {
  jws: string;
  etag?: string;
  /** When the city last confirmed this copy current (200 or 304), by the device clock: shown as the lists' age. */
  checkedAt?: string;
}

async function open(): Promise<Cache | undefined> {
  try {
    return await caches.open(CACHE);
  } catch {
    return undefined; // no Cache Storage (private mode, old browser): the page works online only
  }
}

async function read(key: string): Promise<string | undefined> {
  const res = await (await open())?.match(key);
  return res ? res.text() : undefined;
}

async function write(key: string, body: string, headers: Record<string, string> = {}): Promise<void> {
  await (await open())?.put(key, new Response(body, { headers: { 'content-type': 'text/plain', ...headers } }));
}

export async function loadRoot(): Promise<PinnedRoot | undefined> {
  const text = await read(ROOT_KEY);
  return text ? (JSON.parse(text) as PinnedRoot) : undefined;
}

export const saveRoot = (root: PinnedRoot): Promise<void> => write(ROOT_KEY, JSON.stringify(root));

export async function loadBundle(): Promise<StoredBundle | undefined> {
  const res = await (await open())?.match(BUNDLE_KEY);
  if (!res) return undefined;
  const etag = res.headers.get('x-etag');
  const checkedAt = res.headers.get('x-checked-at');
  return { jws: await res.text(), ...(etag ? { etag } : {}), ...(checkedAt ? { checkedAt } : {}) };
}

export const saveBundle = (b: StoredBundle): Promise<void> =>
  write(BUNDLE_KEY, b.jws, { ...(b.etag ? { 'x-etag': b.etag } : {}), ...(b.checkedAt ? { 'x-checked-at': b.checkedAt } : {}) });
