/**
 * The verifier page (/verify): reads a card's QR code (camera, pasted text,
 * photo, or the URL fragment) and verifies it on the device against the
 * city's signed verifier bundle. Nothing about a checked card leaves the page
 * or is stored: the result lives in the DOM until the next check, or two
 * minutes. Online, the bundle is revalidated (If-None-Match, 304 when
 * unchanged) on every load, every two minutes and on "Check for updates now",
 * so a revocation shows within minutes. An official or partner signed in
 * (online.ts) has each code checked by the server instead, photo included,
 * and falls back to the device check, saying so, when the server is away.
 */
import { type CheckView, TONES, check, looksLikeCode, onlineView } from './check.js';
import { type Session, SignInError, keySession, signIn, verifyOnline } from './online.js';
import { type Key, type Lang, LANGS, NATIVE_NAMES, type T, formatAgo, formatDate, formatInstant, isRtl, pickLanguage, translator } from './i18n.js';
import { type Scanner, decodePhoto, startScanner } from './scanner.js';
import { doorHandle } from './door.js';
import { loadBundle, loadRoot, saveBundle, saveRoot } from './store.js';
import { currentDirectory, directoryStatus, foreignWords, loadStoredDirectory, refreshDirectory, wireDirectoryToggle } from './directory-ui.js';
import { type LoadedTrust, type PinnedRoot, TrustError, freshness, openBundle, pinRoot } from './trust.js';

const LANG_KEY = 'lcc-verify-lang';
/** Online, the list is revalidated this often (a 304 costs a few hundred bytes). */
const REFRESH_EVERY_MS = 2 * 60_000;
/** Ages on screen are redrawn this often. */
const TICK_MS = 30_000;
/** The fail-closed grace before a bundle is loaded (BUNDLE_GRACE_SECONDS on the server); the bundle's own is used once held. */
const DEFAULT_GRACE_HOURS = 48;
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
let heldJws: string | undefined;
/** When the city last confirmed the held list current (device clock). */
let checkedAt: Date | undefined;
/** The code on screen, in memory only while its result is shown: re-checked when the list changes. */
let shownText: string | undefined;
let session: Session | undefined;
let sessionTimer: ReturnType<typeof setTimeout> | undefined;
let note: 'updating' | 'offline' | 'untrusted' | 'failed' | undefined;
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
  renderSession();
  if (current) render(current);
}

const graceHours = () => (loaded ? Math.round((loaded.info.graceUntil.getTime() - loaded.info.issuedAt.getTime()) / 3_600_000) : DEFAULT_GRACE_HOURS);

/** How old the held lists are: since the city last confirmed them (or since they were issued, whichever is later). */
function listAgeSeconds(now: Date): number | undefined {
  if (!loaded) return undefined;
  const at = Math.max(loaded.info.issuedAt.getTime(), checkedAt?.getTime() ?? 0);
  return (now.getTime() - at) / 1000;
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
      lines.push(t('list.checked', { ago: formatAgo(lang, listAgeSeconds(now)!) }));
      if (note === 'updating') lines.push(t('list.updating'));
      if (note === 'offline' || !navigator.onLine) lines.push(t('list.offline', { hours: String(graceHours()) }));
      else if (note === 'failed') lines.push(t('list.failed'));
    }
    warn = state === 'clock_wrong' || state === 'out_of_date';
  }
  if (note === 'untrusted') {
    lines.push(t('list.untrusted'));
    warn = true;
  }
  const directoryLine = directoryStatus(t);
  if (directoryLine) lines.push(directoryLine);
  el.textContent = lines.join(' ');
  el.classList.toggle('warn', warn);
  // For whoever needs to know the list changed (tests, assistive scripts): the held bundle's date.
  el.dataset.issuedAt = loaded?.info.issuedAt.toISOString() ?? '';
  $<HTMLButtonElement>('check-now').disabled = note === 'updating';
}

function renderAbout() {
  $('city').textContent = root ? t('city', { name: root.name }) : '';
  $('fingerprint').textContent = root ? t('fingerprint', { fp: root.thumbprint }) : '';
  $('freshness').textContent = t('howFresh', { hours: String(graceHours()) });
}

function renderSession() {
  const on = session !== undefined;
  $('session').hidden = !on;
  $('signin-box').hidden = on;
  $('intro').textContent = t(on ? 'introOnline' : 'intro');
  if (session) {
    $('session-who').textContent =
      session.kind === 'key'
        ? t('session.key')
        : t('session.staff', { user: session.who, until: formatInstant(lang, new Date(session.expiresAt ?? Date.now())) });
  }
}

function startSession(s: Session) {
  session = s;
  clearTimeout(sessionTimer);
  if (s.expiresAt) sessionTimer = setTimeout(() => endSession('signin.ended'), Math.max(0, s.expiresAt - Date.now()));
  $('signin-error').hidden = true;
  clearResult();
  renderSession();
}

function endSession(why?: Key) {
  session = undefined;
  clearTimeout(sessionTimer);
  renderSession();
  const err = $('signin-error');
  err.hidden = !why;
  if (why) err.textContent = t(why);
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

/** What the server showed this caller: only the fields its profile holds. */
function onlineFields(dl: HTMLElement, v: CheckView) {
  const c = v.online?.card;
  if (!c) return;
  if (c.name !== undefined) field(dl, 'field.name', c.name);
  if (c.birthDate !== undefined) field(dl, 'field.birthDate', c.birthDate ? formatDate(lang, c.birthDate) : t('birthDateUnknown'));
  if (c.number !== undefined) field(dl, 'field.number', c.number, true);
  if (c.marker !== undefined) field(dl, 'field.marker', c.marker);
  if (c.issuedOn !== undefined) field(dl, 'field.issued', formatDate(lang, c.issuedOn));
  if (c.expiresOn !== undefined) field(dl, 'field.expires', formatDate(lang, c.expiresOn));
}

function renderAge(v: CheckView) {
  const age = $('result-age');
  const fallback = $('result-fallback');
  fallback.hidden = !v.fallback;
  if (v.fallback) fallback.textContent = t(`fallback.${v.fallback}` as Key);
  if (v.online) {
    age.textContent = t('age.online', { at: formatInstant(lang, new Date(v.online.checkedAt)) });
    return;
  }
  const s = listAgeSeconds(new Date());
  age.textContent = s === undefined ? '' : t(navigator.onLine && note !== 'offline' ? 'age.device' : 'age.offline', { ago: formatAgo(lang, s), hours: String(graceHours()) });
}

function render(v: CheckView) {
  const box = $('result');
  const tone = TONES[v.outcome];
  box.className = `result ${tone}`;
  box.querySelector<HTMLElement>('.icon')!.innerHTML = ICONS[tone];
  box.querySelector<HTMLElement>('.word')!.textContent = t(`result.${v.outcome}` as Key);
  box.querySelector<HTMLElement>('.explain')!.textContent =
    v.kind === 'proof' && v.outcome === 'valid' ? t('explain.proof', { issuer: v.issuer?.name ?? '' }) : t(`explain.${v.outcome}` as Key);
  // A card of another country, checked through the world directory: "a genuine resident card of Strasbourg, France".
  const foreign = foreignWords(v, lang, t);
  if (foreign) {
    box.className = `result ${foreign.tone}`;
    box.querySelector<HTMLElement>('.icon')!.innerHTML = ICONS[foreign.tone];
    box.querySelector<HTMLElement>('.word')!.textContent = foreign.word;
    box.querySelector<HTMLElement>('.explain')!.textContent = foreign.explain;
  }
  const dl = box.querySelector<HTMLElement>('.fields')!;
  dl.replaceChildren();
  if (v.issuer) field(dl, 'field.issuer', v.issuer.name);
  if (v.online) onlineFields(dl, v);
  else if (v.claims) {
    field(dl, 'field.name', v.claims.name);
    field(dl, 'field.birthDate', v.claims.birthDate ? formatDate(lang, v.claims.birthDate) : t('birthDateUnknown'));
    field(dl, 'field.expires', formatDate(lang, v.claims.expiresOn));
  }
  if (v.validUntil) field(dl, 'field.proofUntil', formatInstant(lang, new Date(v.validUntil)));
  const img = $<HTMLImageElement>('result-photo');
  const photo = v.online?.card?.photo;
  // Only a JPEG data URL is ever put in src (CSP img-src allows data:).
  img.hidden = !(photo && photo.startsWith('data:image/jpeg;base64,'));
  if (!img.hidden) {
    img.src = photo!;
    img.alt = t('photoAlt');
  } else img.removeAttribute('src');
  renderAge(v);
  box.hidden = false;
}

function clearResult() {
  current = undefined;
  shownText = undefined;
  $<HTMLImageElement>('result-photo').removeAttribute('src');
  clearTimeout(clearTimer);
  const box = $('result');
  box.hidden = true;
  box.querySelector<HTMLElement>('.fields')!.replaceChildren();
}

/** Signed in: the server's answer; else, or when it cannot be had, the device's own check (saying why). */
async function checkText(text: string): Promise<CheckView> {
  let fallback: CheckView['fallback'];
  if (session) {
    if (!navigator.onLine) fallback = 'network';
    else {
      const r = await verifyOnline(session, text, lang);
      if (r.ok) return onlineView(r.answer);
      fallback = r.reason;
      if (r.reason === 'signed_out') endSession('signin.ended');
      if (r.reason === 'not_allowed') endSession('signin.notAllowed');
    }
  }
  return { ...(await check(text, loaded, new Date(), currentDirectory())), ...(fallback ? { fallback } : {}) };
}

async function handle(text: string, fromCamera: boolean) {
  await trustReady;
  lastFromCamera = fromCamera;
  // At an event's door (door.ts) the code is a ticket, or a card to admit: the door shows its own answer.
  if (await doorHandle(text, () => check(text, loaded, new Date()))) return;
  // A check that worked clears the errors of earlier attempts.
  $('photo-error').hidden = true;
  $('camera-error').hidden = true;
  current = await checkText(text);
  shownText = current.online ? undefined : text;
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

let refreshing: Promise<void> | undefined;

/** Revalidates the list with the city (one at a time): on load, every two minutes, on "Check for updates now", on reconnecting. */
function refresh(): Promise<void> {
  refreshing ??= doRefresh().finally(() => (refreshing = undefined));
  return refreshing;
}

async function doRefresh() {
  if (!navigator.onLine) {
    note = loaded ? 'offline' : undefined;
    return renderListStatus();
  }
  note = 'updating';
  renderListStatus();
  const before = loaded;
  try {
    if (!root) {
      const meta = await fetch('/.well-known/lcc-issuer', { cache: 'no-store', credentials: 'omit' });
      if (!meta.ok) throw new Error(`metadata ${meta.status}`);
      root = await pinRoot(await meta.text());
      await saveRoot(root);
      renderAbout();
    }
    // no-store: never an HTTP-cached copy; the stored ETag makes an unchanged list a bodiless 304.
    const res = await fetch('/v1/verifier-bundle', {
      cache: 'no-store',
      credentials: 'omit',
      headers: loaded && etag ? { 'if-none-match': etag } : {},
    });
    if (res.status !== 304) {
      if (!res.ok) throw new Error(`bundle ${res.status}`);
      const jws = await res.text();
      loaded = await openBundle(jws, root, new Date(), loaded?.info.issuedAt);
      heldJws = jws;
      etag = res.headers.get('etag') ?? undefined;
    }
    // The world directory, when this device opted in (directory-ui.ts).
    await refreshDirectory(root);
    checkedAt = new Date();
    if (heldJws) await saveBundle({ jws: heldJws, ...(etag ? { etag } : {}), checkedAt: checkedAt.toISOString() });
    note = undefined;
  } catch (e) {
    note = e instanceof TrustError && e.code !== 'malformed' ? 'untrusted' : !navigator.onLine || e instanceof TypeError ? (loaded ? 'offline' : undefined) : 'failed';
  }
  renderListStatus();
  renderAbout();
  // A result on screen, checked on the device, follows the new list (a card revoked meanwhile turns red).
  if (loaded !== before && current && !current.online && shownText) {
    current = { ...(await check(shownText, loaded, new Date(), currentDirectory())), ...(current.fallback ? { fallback: current.fallback } : {}) };
    render(current);
  } else if (current) render(current);
}

async function loadTrust() {
  try {
    root = await loadRoot();
    const stored = await loadBundle();
    if (root && stored) {
      loaded = await openBundle(stored.jws, root, new Date());
      heldJws = stored.jws;
      etag = stored.etag;
      if (stored.checkedAt) checkedAt = new Date(stored.checkedAt);
      await loadStoredDirectory(root);
    }
  } catch (e) {
    console.warn('verifier: the saved list could not be used', e);
    loaded = undefined; // a damaged copy: fetch a new one
  }
  renderAbout();
  renderListStatus();
  // Every load asks the city (cheap when unchanged): a page reopened or reloaded never shows an old status while online.
  await refresh();
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
    else $('photo-error').hidden = false; // most often the front of the card: the message says the code is on the back
  });

  $('check-now').addEventListener('click', () => void refresh());
  wireDirectoryToggle($<HTMLInputElement>('directory-toggle'), () => void refresh());
  $<HTMLFormElement>('signin-staff').addEventListener('submit', async (e) => {
    e.preventDefault();
    const user = $<HTMLInputElement>('signin-user');
    const pass = $<HTMLInputElement>('signin-pass');
    const button = $<HTMLButtonElement>('signin-submit');
    button.disabled = true;
    try {
      const s = await signIn(user.value.trim(), pass.value, lang);
      pass.value = '';
      startSession(s);
    } catch (err) {
      pass.value = '';
      showSignInError(err);
    } finally {
      button.disabled = false;
    }
  });
  $<HTMLFormElement>('signin-key').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>('signin-keytext');
    const value = input.value;
    input.value = ''; // the key stays in memory only, not in the field
    try {
      startSession(keySession(value));
    } catch (err) {
      showSignInError(err);
    }
  });
  $('signout').addEventListener('click', () => endSession());

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
  window.addEventListener('online', () => void refresh());
  window.addEventListener('offline', () => {
    note = loaded ? 'offline' : undefined;
    renderListStatus();
    if (current) render(current);
  });
  setInterval(() => void refresh(), REFRESH_EVERY_MS);
  setInterval(() => {
    renderListStatus();
    if (current) renderAge(current);
  }, TICK_MS);
}

function showSignInError(err: unknown) {
  const el = $('signin-error');
  const reason = err instanceof SignInError ? err.reason : 'network';
  el.textContent = reason === 'refused' && err instanceof SignInError && err.title ? err.title : t(`signin.error.${reason}` as Key);
  el.hidden = false;
}

init();
