/**
 * The page's side of "cards from any city in the directory" (issue 19): the
 * holder of the device opts in (remembered in localStorage), the directory
 * bundle is fetched with the city's bundle (If-None-Match, no-store), kept in
 * Cache Storage so checks work offline, and a foreign card reads in plain
 * words: "a genuine resident card of Strasbourg, France". At page load the
 * kept copy is not opened: only its summary is read; it is opened (signature
 * and index) on the first card the city's own bundle does not know.
 */
import { inspectCredential } from '../../credential/index.js';
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

/** What the page wrote next to the copy when it had verified it: enough for the status line and the rollback guard. */
interface Summary {
  issuedAt: Date;
  graceUntil: Date;
  issuers: number;
  countries: number;
}

function summaryOf(headers: Headers): Summary | undefined {
  const issuedAt = new Date(headers.get('x-issued-at') ?? '');
  const graceUntil = new Date(headers.get('x-grace-until') ?? '');
  const issuers = Number(headers.get('x-issuers'));
  const countries = Number(headers.get('x-countries'));
  if (Number.isNaN(issuedAt.getTime()) || Number.isNaN(graceUntil.getTime()) || !Number.isSafeInteger(issuers) || !Number.isSafeInteger(countries)) return undefined;
  return { issuedAt, graceUntil, issuers, countries };
}

/**
 * The stored directory, opened only when a card needs it: a card of an issuer
 * the city's own bundle does not know. Opening 35,000 issuers (signature over
 * ~45 MB, JSON, index) takes a second or more and ~200 MB on a desktop, several
 * on a cheap phone (BENCHMARKS.md): a page load, and every card of this
 * country, no longer pay it.
 */
function lazyDirectory(summary: Summary, open: () => Promise<LoadedDirectory>): LoadedDirectory {
  let opened: Promise<LoadedDirectory | undefined> | undefined;
  return {
    ...summary,
    async trustFor(qr, main, now) {
      let iss: string | undefined;
      try {
        iss = inspectCredential(qr).cwt.iss;
      } catch {
        return { trust: main, unchecked: false };
      }
      if (iss === undefined || main.byUri.has(iss) || main.issuers.has(iss)) return { trust: main, unchecked: false };
      opened ??= open().catch((e: unknown) => {
        // The copy kept no longer verifies (it was altered on the device): as if there were none; the next refresh replaces it.
        console.warn('verifier: the saved directory could not be used', e);
        return undefined;
      });
      const d = await opened;
      return d ? d.trustFor(qr, main, now) : { trust: main, unchecked: false };
    },
  };
}

/** The copy kept on the device (at page load, offline too): opened when a card first needs it. */
export async function loadStoredDirectory(root: PinnedRoot | undefined): Promise<void> {
  if (!root || !directoryWanted()) return;
  try {
    const res = await (await cache())?.match(STORE_KEY);
    if (!res) return;
    etag = res.headers.get('x-etag') ?? undefined;
    const summary = summaryOf(res.headers);
    // A copy saved before the summary was written beside it: opened now, as it used to be.
    dir = summary ? lazyDirectory(summary, async () => openDirectory(await res.text(), root)) : await openDirectory(await res.text(), root);
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
  const summary = { 'x-issued-at': dir.issuedAt.toISOString(), 'x-grace-until': dir.graceUntil.toISOString(), 'x-issuers': String(dir.issuers), 'x-countries': String(dir.countries) };
  await (await cache())?.put(STORE_KEY, new Response(jws, { headers: { 'content-type': 'text/plain', ...summary, ...(etag ? { 'x-etag': etag } : {}) } }));
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
