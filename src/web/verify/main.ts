/**
 * The verifier page (/verify): reads a card's QR code (camera, pasted text,
 * photo, or the URL fragment) and verifies it on the device against the
 * city's signed verifier bundle. Nothing about a checked card leaves the page
 * or is stored: the result lives in the DOM until the next check, or two
 * minutes.
 */
import { type CheckView, TONES, check, looksLikeCode } from './check.js';
import { type Key, type Lang, LANGS, NATIVE_NAMES, type T, formatAgo, formatDate, formatInstant, isRtl, pickLanguage, translator } from './i18n.js';
import { type Scanner, decodePhoto, startScanner } from './scanner.js';
import { loadBundle, loadRoot, saveBundle, saveRoot } from './store.js';
import { type LoadedTrust, type PinnedRoot, TrustError, freshness, openBundle, pinRoot } from './trust.js';

const LANG_KEY = 'lcc-verify-lang';
const REFRESH_EVERY_MS = 10 * 60_000;
const RESULT_TTL_MS = 120_000;

const ICONS = {
  ok: '<svg viewBox="0 0 72 72"><circle cx="36" cy="36" r="34" fill="#1b7a34"/><path d="M20 37l11 11 22-24" fill="none" stroke="#fff" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  warn: '<svg viewBox="0 0 72 72"><path d="M36 4l33 62H3z" fill="#b36b00"/><path d="M36 26v20" stroke="#fff" stroke-width="8" stroke-linecap="round"/><circle cx="36" cy="56" r="4.5" fill="#fff"/></svg>',
  bad: '<svg viewBox="0 0 72 72"><path d="M22 2h28l20 20v28L50 70H22L2 50V22z" fill="#b3261e"/><path d="M24 24l24 24M48 24L24 48" stroke="#fff" stroke-width="8" stroke-linecap="round"/></svg>',
} as const;

const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;

let lang: Lang = 'en';
let t: T = translator('en');
let root: PinnedRoot | undefined;
let loaded: LoadedTrust | undefined;
let etag: string | undefined;
let note: 'updating' | 'offline' | 'untrusted' | undefined;
let current: CheckView | undefined;
let scanner: Scanner | undefined;
let lastFromCamera = false;
let clearTimer: ReturnType<typeof setTimeout> | undefined;
let trustReady: Promise<void> = Promise.resolve();

function applyLanguage(next: Lang) {
  lang = next;
  t = translator(next);
  document.documentElement.lang = next;
  document.documentElement.dir = isRtl(next) ? 'rtl' : 'ltr';
  document.title = t('title');
  document.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n as Key);
  });
  $<HTMLButtonElement>('camera').textContent = t(scanner ? 'stopCamera' : 'startCamera');
  ($<HTMLSelectElement>('lang')).value = next;
  renderListStatus();
  renderAbout();
  if (current) render(current);
}

function renderListStatus() {
  const el = $('list-status');
  const lines: string[] = [];
  let warn = false;
  if (!loaded) {
    lines.push(t(note === 'updating' ? 'list.updating' : 'list.none'));
    warn = note !== 'updating';
  } else {
    const now = new Date();
    const state = freshness(loaded.info, now);
    if (state === 'clock_wrong') lines.push(t('list.clockWrong'));
    else {
      if (state === 'out_of_date') lines.push(t('list.outOfDate'));
      lines.push(t('list.updated', { ago: formatAgo(lang, (now.getTime() - loaded.info.issuedAt.getTime()) / 1000) }));
      if (note === 'updating') lines.push(t('list.updating'));
      if (note === 'offline' || !navigator.onLine) lines.push(t('list.offline'));
    }
    warn = state === 'clock_wrong' || state === 'out_of_date';
  }
  if (note === 'untrusted') {
    lines.push(t('list.untrusted'));
    warn = true;
  }
  el.textContent = lines.join(' ');
  el.classList.toggle('warn', warn);
}

function renderAbout() {
  $('city').textContent = root ? t('city', { name: root.name }) : '';
  $('fingerprint').textContent = root ? t('fingerprint', { fp: root.thumbprint }) : '';
}

function field(dl: HTMLElement, label: Key, value: string, ltr = false) {
  const dt = document.createElement('dt');
  dt.textContent = t(label);
  const dd = document.createElement('dd');
  // Card data goes in as text, never as markup; a name keeps its own direction.
  dd.textContent = value;
  dd.dir = ltr ? 'ltr' : 'auto';
  dl.append(dt, dd);
}

function render(v: CheckView) {
  const box = $('result');
  const tone = TONES[v.outcome];
  box.className = `result ${tone}`;
  box.querySelector<HTMLElement>('.icon')!.innerHTML = ICONS[tone];
  box.querySelector<HTMLElement>('.word')!.textContent = t(`result.${v.outcome}` as Key);
  box.querySelector<HTMLElement>('.explain')!.textContent =
    v.kind === 'proof' && v.outcome === 'valid' ? t('explain.proof', { issuer: v.issuer?.name ?? '' }) : t(`explain.${v.outcome}` as Key);
  const dl = box.querySelector<HTMLElement>('.fields')!;
  dl.replaceChildren();
  if (v.issuer) field(dl, 'field.issuer', v.issuer.name);
  if (v.claims) {
    field(dl, 'field.name', v.claims.name);
    field(dl, 'field.birthDate', v.claims.birthDate ? formatDate(lang, v.claims.birthDate) : t('birthDateUnknown'));
    field(dl, 'field.expires', formatDate(lang, v.claims.expiresOn));
  }
  if (v.validUntil) field(dl, 'field.proofUntil', formatInstant(lang, new Date(v.validUntil)));
  box.hidden = false;
}

function clearResult() {
  current = undefined;
  clearTimeout(clearTimer);
  const box = $('result');
  box.hidden = true;
  box.querySelector<HTMLElement>('.fields')!.replaceChildren();
}

async function handle(text: string, fromCamera: boolean) {
  await trustReady;
  lastFromCamera = fromCamera;
  current = await check(text, loaded, new Date());
  render(current);
  renderListStatus();
  clearTimeout(clearTimer);
  clearTimer = setTimeout(clearResult, RESULT_TTL_MS);
  const box = $('result');
  box.focus();
  box.scrollIntoView({ block: 'start' });
}

function stopCamera() {
  scanner?.stop();
  scanner = undefined;
  $('viewfinder').hidden = true;
  $('camera').textContent = t('startCamera');
}

async function startCamera() {
  $('camera-error').hidden = true;
  clearResult();
  try {
    $('viewfinder').hidden = false;
    $('camera').textContent = t('stopCamera');
    scanner = await startScanner($<HTMLVideoElement>('video'), (text) => {
      scanner = undefined;
      stopCamera();
      void handle(text, true);
    });
  } catch {
    stopCamera();
    $('camera-error').hidden = false;
  }
}

async function refresh(force: boolean) {
  const stale = !loaded || freshness(loaded.info, new Date()) !== 'fresh';
  if (!force && !stale) return;
  if (!navigator.onLine) {
    note = loaded ? 'offline' : undefined;
    return renderListStatus();
  }
  note = 'updating';
  renderListStatus();
  try {
    if (!root) {
      const meta = await fetch('/.well-known/lcc-issuer', { cache: 'no-store', credentials: 'omit' });
      if (!meta.ok) throw new Error(`metadata ${meta.status}`);
      root = await pinRoot(await meta.text());
      await saveRoot(root);
      renderAbout();
    }
    const res = await fetch('/v1/verifier-bundle', {
      cache: 'no-store',
      credentials: 'omit',
      headers: loaded && etag ? { 'if-none-match': etag } : {},
    });
    if (res.status !== 304) {
      if (!res.ok) throw new Error(`bundle ${res.status}`);
      const jws = await res.text();
      loaded = await openBundle(jws, root, new Date(), loaded?.info.issuedAt);
      etag = res.headers.get('etag') ?? undefined;
      await saveBundle({ jws, ...(etag ? { etag } : {}) });
    }
    note = undefined;
  } catch (e) {
    note = e instanceof TrustError && e.code !== 'malformed' ? 'untrusted' : loaded ? 'offline' : undefined;
  }
  renderListStatus();
}

async function loadTrust() {
  try {
    root = await loadRoot();
    const stored = await loadBundle();
    if (root && stored) {
      loaded = await openBundle(stored.jws, root, new Date());
      etag = stored.etag;
    }
  } catch (e) {
    console.warn('verifier: the saved list could not be used', e);
    loaded = undefined; // a damaged copy: fetch a new one
  }
  renderAbout();
  renderListStatus();
  await refresh(!loaded);
}

/**
 * A card's text in the address (`#` + the Base45 text, percent-encoded: it has
 * spaces and `%`): read once, then removed so it stays in no history entry.
 */
function takeFragment(): string | undefined {
  let text = location.hash.slice(1);
  try {
    text = decodeURIComponent(text);
  } catch {
    /* not percent-encoded: taken as it is */
  }
  if (!looksLikeCode(text)) return undefined;
  history.replaceState(null, '', location.pathname + location.search);
  return text;
}

function init() {
  const select = $<HTMLSelectElement>('lang');
  for (const l of LANGS) select.append(new Option(NATIVE_NAMES[l], l));
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LANG_KEY);
  } catch {
    /* storage disabled */
  }
  applyLanguage(pickLanguage(saved, navigator.languages ?? [navigator.language]));
  select.addEventListener('change', () => {
    try {
      localStorage.setItem(LANG_KEY, select.value);
    } catch {
      /* storage disabled */
    }
    applyLanguage(select.value as Lang);
  });

  $('camera').addEventListener('click', () => (scanner ? stopCamera() : void startCamera()));
  $('again').addEventListener('click', () => {
    clearResult();
    if (lastFromCamera) void startCamera();
    else $('qr-text').focus();
  });
  $<HTMLFormElement>('paste').addEventListener('submit', (e) => {
    e.preventDefault();
    const area = $<HTMLTextAreaElement>('qr-text');
    const text = area.value;
    area.value = '';
    if (text.trim()) void handle(text, false);
  });
  const photo = $<HTMLInputElement>('photo');
  photo.addEventListener('change', async () => {
    const file = photo.files?.[0];
    photo.value = '';
    $('photo-error').hidden = true;
    if (!file) return;
    const text = await decodePhoto(file).catch(() => null);
    if (text) await handle(text, false);
    else $('photo-error').hidden = false;
  });

  if ('serviceWorker' in navigator) {
    // Scope /verify (not /verify/) so that the page's own address is covered; the server allows it.
    navigator.serviceWorker.register('/verify/sw.js', { scope: '/verify' }).catch(() => undefined);
  }

  const pending = takeFragment();
  trustReady = loadTrust();
  if (pending) void handle(pending, false);
  window.addEventListener('hashchange', () => {
    const text = takeFragment();
    if (text) void handle(text, false);
  });
  window.addEventListener('online', () => void refresh(false));
  window.addEventListener('offline', renderListStatus);
  setInterval(() => {
    renderListStatus();
    void refresh(false);
  }, REFRESH_EVERY_MS);
}

init();
