/**
 * The page's side of "cards from any city in the directory" (issue 19): the
 * holder of the device opts in (remembered in localStorage), the directory
 * bundle is fetched with the city's bundle (If-None-Match, no-store), kept in
 * Cache Storage so checks work offline, and a foreign card reads in plain
 * words: "a genuine resident card of Strasbourg, France".
 */
import type { CheckView } from './check.js';
import { type LoadedDirectory, openDirectory } from './directory.js';
import type { Key, Lang, T } from './i18n.js';
import { formatDate } from './i18n.js';
import type { PinnedRoot } from './trust.js';

const OPT_KEY = 'lcc-verify-directory';
const CACHE = 'lcc-verify-trust-v1';
const STORE_KEY = '/verify/.trust/directory';

let dir: LoadedDirectory | undefined;
let etag: string | undefined;

export const directoryWanted = (): boolean => localStorage.getItem(OPT_KEY) === '1';
export const currentDirectory = (): LoadedDirectory | undefined => (directoryWanted() ? dir : undefined);

async function cache(): Promise<Cache | undefined> {
  try {
    return await caches.open(CACHE);
  } catch {
    return undefined;
  }
}

/** The copy kept on the device, opened with the pinned root (at page load, offline too). */
export async function loadStoredDirectory(root: PinnedRoot | undefined): Promise<void> {
  if (!root || !directoryWanted()) return;
  try {
    const res = await (await cache())?.match(STORE_KEY);
    if (!res) return;
    etag = res.headers.get('x-etag') ?? undefined;
    dir = await openDirectory(await res.text(), root);
  } catch (e) {
    console.warn('verifier: the saved directory could not be used', e);
    dir = undefined;
  }
}

/** Revalidates the directory with the city (only when opted in); a failure keeps the copy held. */
export async function refreshDirectory(root: PinnedRoot): Promise<void> {
  if (!directoryWanted()) return;
  const res = await fetch('/v1/verifier-directory', { cache: 'no-store', credentials: 'omit', headers: dir && etag ? { 'if-none-match': etag } : {} });
  if (res.status === 304) return;
  if (!res.ok) throw new Error(`directory ${res.status}`);
  const jws = await res.text();
  dir = await openDirectory(jws, root, dir?.issuedAt);
  etag = res.headers.get('etag') ?? undefined;
  await (await cache())?.put(STORE_KEY, new Response(jws, { headers: { 'content-type': 'text/plain', ...(etag ? { 'x-etag': etag } : {}) } }));
}

/** The opt-in checkbox and its status line; `changed` refreshes the lists. */
export function wireDirectoryToggle(box: HTMLInputElement, changed: () => void): void {
  box.checked = directoryWanted();
  box.addEventListener('change', () => {
    localStorage.setItem(OPT_KEY, box.checked ? '1' : '0');
    changed();
  });
}

export function directoryStatus(t: T): string {
  if (!directoryWanted()) return '';
  return dir ? t('directory.status', { issuers: String(dir.issuers), countries: String(dir.countries) }) : t('directory.none');
}

/**
 * The plain words for a foreign card checked on the device: its word and
 * explanation, or undefined to keep the page's usual ones.
 */
export function foreignWords(v: CheckView, lang: Lang, t: T): { word: string; explain: string; tone: 'ok' | 'warn' | 'bad' } | undefined {
  if (v.outcome !== 'foreign_issuer' || v.genuine === undefined || !v.issuer) return undefined;
  let country = v.issuer.country;
  try {
    country = new Intl.DisplayNames([lang], { type: 'region' }).of(v.issuer.country) ?? country;
  } catch {
    /* the code as it is */
  }
  const vars = { city: v.issuer.name, country };
  if (v.genuine) return { word: t('result.genuine'), explain: t('explain.genuine', { ...vars, expires: v.claims ? formatDate(lang, v.claims.expiresOn) : '' }), tone: 'ok' };
  if (v.cardStatus === 'valid') return { word: t('result.unchecked'), explain: t('explain.foreign_unchecked', vars), tone: 'warn' };
  return { word: t('result.foreign_not_in_force'), explain: t('explain.foreign_not_in_force', { ...vars, status: t(`result.${v.cardStatus}` as Key).toLowerCase() }), tone: v.cardStatus === 'expired' || v.cardStatus === 'not_yet_valid' ? 'warn' : 'bad' };
}
