/**
 * At an event's door (Welcoming Week, src/modules/events): a volunteer opens
 * the door with the event's printed door code; the page downloads the door
 * kit — the event, how it admits, and its ticket list as SHA-256 hashes of
 * the ticket ids — and from then on every code scanned or pasted is a
 * ticket (or, at a card-holders event without RSVP, a card or resident proof)
 * for that door.
 *
 * Online, each scan is checked by the city (`POST /v1/door/check-ins`): a
 * ticket admits once, whichever phone scans it. Offline, the page reads the
 * ticket's event, expiry and ticket id (it cannot check the MAC offline: it
 * trusts possession of the 128-bit id), hashes the id and looks it up; a
 * second scan on this phone says "already admitted". A card is checked on
 * the device with the verifier bundle and counted. What was admitted offline
 * is sent when the phone reconnects (`POST /v1/door/offline-admissions`),
 * where each ticket still admits once.
 *
 * Kept in localStorage so a reload at the door works offline: the code, the
 * hashes, what this phone admitted and what is still to send — no name, no
 * card number. "Close the door" removes it all.
 */
import type { CheckView } from './check.js';
import { type Lang, isLang } from './i18n.js';

const STORE_KEY = 'lcc-door';
const SYNC_EVERY_MS = 30_000;

interface Kit {
  eventId: string;
  generatedAt: string;
  admits: 'tickets' | 'cards' | 'everyone';
  event: { title: Record<string, string>; startsAt: string; endsAt: string; timeZone: string };
  hashes: Array<{ hash: string; admitted: boolean }>;
}
interface DoorState {
  code: string;
  kit: Kit;
  /** Ticket hashes this phone admitted (online or not). */
  admitted: string[];
  /** Admitted offline, not yet sent. */
  pending: string[];
  pendingCards: number;
}

type Word = 'title' | 'intro' | 'code' | 'open' | 'close' | 'badCode' | 'network' | 'stats' | 'toSend' | 'listAt' | 'admitted' | 'admittedOffline' | 'already' | 'notValid' | 'otherEvent' | 'expired' | 'notOnList' | 'notATicket' | 'cardAdmitted' | 'cardAdmittedOffline' | 'cardNotValid' | 'sent' | 'mode.tickets' | 'mode.cards' | 'mode.everyone';
const STRINGS: Record<Lang, Record<Word, string>> = {
  en: {
    title: 'At an event’s door', intro: 'Type the door code the organiser gave you. Then scan or paste each ticket.', code: 'Door code', open: 'Open the door', close: 'Close the door',
    badCode: 'This door code is not valid. Check it, or ask the organiser for the new one.', network: 'No connection: the door code can only be checked online, the first time.',
    stats: '{{places}} tickets with a place, {{admitted}} admitted.', toSend: '{{n}} admitted offline, to send when connected.', listAt: 'List downloaded at {{at}}.',
    admitted: 'Admitted', admittedOffline: 'Admitted (offline, will be sent)', already: 'Already admitted', notValid: 'Not valid for this event', otherEvent: 'This ticket is for another event',
    expired: 'This ticket has expired: ask the holder to open it again in the portal', notOnList: 'Not on this event’s list', notATicket: 'This is not a ticket. This event admits with a ticket.',
    cardAdmitted: 'Valid card: admitted', cardAdmittedOffline: 'Valid card: admitted (offline, counted)', cardNotValid: 'Not a valid card of the city', sent: 'Sent: {{n}} admissions made offline.',
    'mode.tickets': 'Admits with a ticket.', 'mode.cards': 'Admits on a valid card or resident proof.', 'mode.everyone': 'Open to all: no check at the door.',
  },
  fr: {
    title: 'À l’entrée d’un événement', intro: 'Saisissez le code de porte remis par l’organisateur, puis scannez ou collez chaque billet.', code: 'Code de porte', open: 'Ouvrir la porte', close: 'Fermer la porte',
    badCode: 'Ce code de porte n’est pas valable. Vérifiez-le ou demandez le nouveau à l’organisateur.', network: 'Pas de connexion : le code de porte ne se vérifie qu’en ligne, la première fois.',
    stats: '{{places}} billets avec une place, {{admitted}} entrés.', toSend: '{{n}} entrées hors ligne, à envoyer une fois connecté.', listAt: 'Liste téléchargée à {{at}}.',
    admitted: 'Entrée acceptée', admittedOffline: 'Entrée acceptée (hors ligne, sera envoyée)', already: 'Déjà entré', notValid: 'Non valable pour cet événement', otherEvent: 'Ce billet est pour un autre événement',
    expired: 'Ce billet a expiré : demandez à la personne de le rouvrir dans son espace', notOnList: 'Absent de la liste de cet événement', notATicket: 'Ce n’est pas un billet. Cet événement se fait sur billet.',
    cardAdmitted: 'Carte valable : entrée acceptée', cardAdmittedOffline: 'Carte valable : entrée acceptée (hors ligne, comptée)', cardNotValid: 'Pas une carte valable de la ville', sent: 'Envoyé : {{n}} entrées faites hors ligne.',
    'mode.tickets': 'Entrée sur billet.', 'mode.cards': 'Entrée sur carte ou attestation de résidence valable.', 'mode.everyone': 'Ouvert à tous : pas de contrôle à l’entrée.',
  },
  es: {
    title: 'En la puerta de un evento', intro: 'Escriba el código de puerta que le dio la organización. Después escanee o pegue cada entrada.', code: 'Código de puerta', open: 'Abrir la puerta', close: 'Cerrar la puerta',
    badCode: 'Este código de puerta no es válido. Compruébelo o pida el nuevo a la organización.', network: 'Sin conexión: el código de puerta solo se comprueba en línea, la primera vez.',
    stats: '{{places}} entradas con plaza, {{admitted}} admitidas.', toSend: '{{n}} admitidas sin conexión, por enviar al conectarse.', listAt: 'Lista descargada a las {{at}}.',
    admitted: 'Admitido', admittedOffline: 'Admitido (sin conexión, se enviará)', already: 'Ya admitido', notValid: 'No válida para este evento', otherEvent: 'Esta entrada es para otro evento',
    expired: 'Esta entrada ha caducado: pida a la persona que la vuelva a abrir en el portal', notOnList: 'No está en la lista de este evento', notATicket: 'Esto no es una entrada. Este evento admite con entrada.',
    cardAdmitted: 'Tarjeta válida: admitido', cardAdmittedOffline: 'Tarjeta válida: admitido (sin conexión, contado)', cardNotValid: 'No es una tarjeta válida de la ciudad', sent: 'Enviado: {{n}} admisiones hechas sin conexión.',
    'mode.tickets': 'Se admite con entrada.', 'mode.cards': 'Se admite con tarjeta o prueba de residencia válida.', 'mode.everyone': 'Abierto a todos: sin control en la puerta.',
  },
  pt: {
    title: 'Na porta de um evento', intro: 'Digite o código de porta que a organização lhe deu. Depois leia ou cole cada ingresso.', code: 'Código de porta', open: 'Abrir a porta', close: 'Fechar a porta',
    badCode: 'Este código de porta não é válido. Verifique-o ou peça o novo à organização.', network: 'Sem conexão: o código de porta só é verificado online, na primeira vez.',
    stats: '{{places}} ingressos com lugar, {{admitted}} admitidos.', toSend: '{{n}} admitidos offline, a enviar quando houver conexão.', listAt: 'Lista baixada às {{at}}.',
    admitted: 'Admitido', admittedOffline: 'Admitido (offline, será enviado)', already: 'Já admitido', notValid: 'Não é válido para este evento', otherEvent: 'Este ingresso é de outro evento',
    expired: 'Este ingresso expirou: peça à pessoa que o abra de novo no portal', notOnList: 'Não está na lista deste evento', notATicket: 'Isto não é um ingresso. Este evento admite com ingresso.',
    cardAdmitted: 'Cartão válido: admitido', cardAdmittedOffline: 'Cartão válido: admitido (offline, contado)', cardNotValid: 'Não é um cartão válido da cidade', sent: 'Enviado: {{n}} admissões feitas offline.',
    'mode.tickets': 'Admite com ingresso.', 'mode.cards': 'Admite com cartão ou comprovante de residência válido.', 'mode.everyone': 'Aberto a todos: sem controle na porta.',
  },
  ar: {
    title: 'عند باب فعالية', intro: 'اكتب رمز الباب الذي أعطاك إياه المنظّم، ثم امسح أو الصق كل تذكرة.', code: 'رمز الباب', open: 'افتح الباب', close: 'أغلق الباب',
    badCode: 'رمز الباب هذا غير صالح. تحقق منه أو اطلب الرمز الجديد من المنظّم.', network: 'لا يوجد اتصال: يُتحقق من رمز الباب عبر الإنترنت فقط في المرة الأولى.',
    stats: '{{places}} تذكرة بمقعد، دخل منها {{admitted}}.', toSend: '{{n}} دخلوا دون اتصال، تُرسل عند الاتصال.', listAt: 'نُزّلت القائمة في {{at}}.',
    admitted: 'مسموح بالدخول', admittedOffline: 'مسموح بالدخول (دون اتصال، سيُرسل)', already: 'تم الدخول بالفعل', notValid: 'غير صالحة لهذه الفعالية', otherEvent: 'هذه التذكرة لفعالية أخرى',
    expired: 'انتهت صلاحية هذه التذكرة: اطلب من صاحبها فتحها من جديد في البوابة', notOnList: 'ليست في قائمة هذه الفعالية', notATicket: 'هذه ليست تذكرة. الدخول إلى هذه الفعالية بتذكرة.',
    cardAdmitted: 'بطاقة صالحة: مسموح بالدخول', cardAdmittedOffline: 'بطاقة صالحة: مسموح بالدخول (دون اتصال، محسوب)', cardNotValid: 'ليست بطاقة صالحة للمدينة', sent: 'أُرسل: {{n}} دخول تم دون اتصال.',
    'mode.tickets': 'الدخول بتذكرة.', 'mode.cards': 'الدخول ببطاقة أو إثبات إقامة صالح.', 'mode.everyone': 'مفتوحة للجميع: لا تحقق عند الباب.',
  },
};

let state: DoorState | undefined;
const lang = (): Lang => (isLang(document.documentElement.lang) ? document.documentElement.lang : 'en');
const t = (w: Word, vars: Record<string, string | number> = {}) => STRINGS[lang()][w].replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ''));
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}, text?: string) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

function save() {
  try {
    if (state) localStorage.setItem(STORE_KEY, JSON.stringify(state));
    else localStorage.removeItem(STORE_KEY);
  } catch {
    /* storage disabled: the door works until the page is closed */
  }
}
function load() {
  try {
    const raw = localStorage.getItem(STORE_KEY);
    if (raw) state = JSON.parse(raw) as DoorState;
  } catch {
    state = undefined;
  }
}

async function sha256Hex(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The ticket's readable part (`LCT1.<payload>.<mac>`): event, ticket id, expiry. */
function readTicket(qr: string): { e: string; t: string; exp: number } | undefined {
  const parts = qr.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const b64 = parts[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const body = JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))) as { e?: unknown; t?: unknown; exp?: unknown };
    return typeof body.e === 'string' && typeof body.t === 'string' && typeof body.exp === 'number' ? { e: body.e, t: body.t, exp: body.exp } : undefined;
  } catch {
    return undefined;
  }
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', cache: 'no-store', credentials: 'omit', headers: { 'content-type': 'application/json', 'accept-language': lang() }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

// ---- the section on the page

const box = el('details', { id: 'door', class: 'door' });
const summary = el('summary');
const intro = el('p');
const form = el('form', { id: 'door-open', class: 'stack', autocomplete: 'off' });
const codeLabel = el('label', { for: 'door-code' });
const codeInput = el('input', { id: 'door-code', autocapitalize: 'characters', spellcheck: 'false', autocomplete: 'off', dir: 'ltr', required: '' }) as HTMLInputElement;
const openButton = el('button', { type: 'submit' });
const error = el('p', { class: 'error', role: 'alert', hidden: '' });
const opened = el('div', { id: 'door-opened', hidden: '' });
const eventLine = el('p', { class: 'door-event' });
const modeLine = el('p');
const stats = el('p', { id: 'door-stats', role: 'status' });
const closeButton = el('button', { type: 'button', id: 'door-close' });
const result = el('section', { id: 'door-result', class: 'result', hidden: '', 'aria-live': 'assertive', 'aria-atomic': 'true', tabindex: '-1' });
const word = el('h2', { class: 'word' });
result.append(word);
form.append(codeLabel, codeInput, openButton);
opened.append(eventLine, modeLine, stats, closeButton);
box.append(summary, intro, form, error, opened);
// Set through the CSSOM (the page's CSP allows no inline style attribute): the verifier's stylesheet is not this file's.
Object.assign(form.style, { display: 'grid', gap: '.4rem', margin: '.6rem 0' });
Object.assign(codeInput.style, { padding: '.4rem', fontFamily: 'ui-monospace, monospace', letterSpacing: '.1em' });

function renderDoor() {
  summary.textContent = t('title');
  intro.textContent = t('intro');
  intro.hidden = state !== undefined;
  codeLabel.textContent = t('code');
  openButton.textContent = t('open');
  closeButton.textContent = t('close');
  if (result.dataset.outcome) word.textContent = t(result.dataset.outcome as Word);
  form.hidden = state !== undefined;
  opened.hidden = state === undefined;
  if (!state) {
    result.hidden = true;
    return;
  }
  const k = state.kit;
  const when = new Intl.DateTimeFormat(lang(), { timeZone: k.event.timeZone, dateStyle: 'medium', timeStyle: 'short', numberingSystem: 'latn' }).format(new Date(k.event.startsAt));
  eventLine.textContent = `${k.event.title[lang()] ?? k.event.title.en ?? ''} — ${when}`;
  modeLine.textContent = t(`mode.${k.admits}`);
  const admitted = new Set([...k.hashes.filter((h) => h.admitted).map((h) => h.hash), ...state.admitted]);
  const lines = [k.admits === 'tickets' ? t('stats', { places: k.hashes.length, admitted: admitted.size }) : ''];
  const toSend = state.pending.length + state.pendingCards;
  if (toSend > 0) lines.push(t('toSend', { n: toSend }));
  lines.push(t('listAt', { at: new Intl.DateTimeFormat(lang(), { timeStyle: 'short', numberingSystem: 'latn' }).format(new Date(k.generatedAt)) }));
  stats.textContent = lines.filter(Boolean).join(' ');
}

function show(tone: 'ok' | 'warn' | 'bad', w: Word) {
  result.className = `result ${tone}`;
  result.dataset.outcome = w;
  word.textContent = t(w);
  result.hidden = false;
  result.focus();
  result.scrollIntoView({ block: 'start' });
  renderDoor();
}

async function fetchKit(code: string): Promise<{ kit?: Kit; status: number }> {
  const r = await post('/v1/door', { code });
  return r.status === 200 ? { kit: r.json as unknown as Kit, status: 200 } : { status: r.status };
}

/** Sends what was admitted offline, then takes a fresh list. */
async function sync() {
  if (!state || !navigator.onLine) return;
  const s = state;
  try {
    if (s.pending.length + s.pendingCards > 0) {
      const hashes = [...s.pending];
      const cards = s.pendingCards;
      const r = await post('/v1/door/offline-admissions', { code: s.code, hashes, cards });
      if (r.status !== 200) return;
      s.pending = s.pending.filter((h) => !hashes.includes(h));
      s.pendingCards -= cards;
      stats.dataset.sent = String(hashes.length + cards);
    }
    const { kit } = await fetchKit(s.code);
    if (kit && state === s) s.kit = kit;
    save();
    renderDoor();
  } catch {
    /* still offline: next time */
  }
}

async function openDoor(e: Event) {
  e.preventDefault();
  error.hidden = true;
  const code = codeInput.value.trim();
  try {
    const { kit, status } = await fetchKit(code);
    if (!kit) {
      error.textContent = t(status === 401 || status === 400 ? 'badCode' : 'network');
      error.hidden = false;
      return;
    }
    codeInput.value = '';
    state = { code, kit, admitted: [], pending: [], pendingCards: 0 };
    save();
    renderDoor();
  } catch {
    error.textContent = t('network');
    error.hidden = false;
  }
}

async function ticket(qr: string) {
  const s = state!;
  const read = readTicket(qr);
  const hash = read ? await sha256Hex(read.t) : undefined;
  if (navigator.onLine) {
    try {
      const r = await post('/v1/door/check-ins', { code: s.code, qr });
      if (r.status === 201 || r.status === 409 || r.status === 422 || r.status === 401) {
        if (r.status === 201 && hash) s.admitted.push(hash);
        save();
        if (r.status === 201) return show('ok', 'admitted');
        if (r.status === 409) return show('bad', 'already');
        if (r.status === 401) return show('warn', 'badCode');
        const reason = r.json.reason;
        return show(reason === 'expired' ? 'warn' : 'bad', reason === 'other-event' ? 'otherEvent' : reason === 'expired' ? 'expired' : 'notValid');
      }
    } catch {
      /* no network after all: checked on the device below */
    }
  }
  if (!read || !hash) return show('bad', 'notValid');
  if (read.e !== s.kit.eventId) return show('bad', 'otherEvent');
  if (read.exp * 1000 <= Date.now()) return show('warn', 'expired');
  const entry = s.kit.hashes.find((h) => h.hash === hash);
  if (!entry) return show('bad', 'notOnList');
  if (entry.admitted || s.admitted.includes(hash)) return show('bad', 'already');
  s.admitted.push(hash);
  s.pending.push(hash);
  save();
  show('ok', 'admittedOffline');
}

async function card(text: string, deviceCheck: () => Promise<CheckView>) {
  const s = state!;
  if (navigator.onLine) {
    try {
      const r = await post('/v1/door/check-ins', { code: s.code, qr: text });
      if (r.status === 201) return show('ok', 'cardAdmitted');
      if (r.status === 422) return show('bad', 'cardNotValid');
      if (r.status === 401) return show('warn', 'badCode');
    } catch {
      /* offline: the device's own check */
    }
  }
  const v = await deviceCheck();
  if (v.outcome !== 'valid') return show('bad', 'cardNotValid');
  s.pendingCards++;
  save();
  show('ok', 'cardAdmittedOffline');
}

/**
 * The hook main.ts calls with every code read: true when the door is open and
 * took it (tickets, or cards at a card-holders event), false to let the page
 * check it as a card.
 */
export async function doorHandle(text: string, deviceCheck: () => Promise<CheckView>): Promise<boolean> {
  if (!state || state.kit.admits === 'everyone') return false;
  const qr = text.trim();
  if (qr.startsWith('LCT1.')) await ticket(qr);
  else if (state.kit.admits === 'cards') await card(qr, deviceCheck);
  else show('warn', 'notATicket');
  return true;
}

function mount() {
  load();
  form.addEventListener('submit', (e) => void openDoor(e));
  closeButton.addEventListener('click', () => {
    state = undefined;
    save();
    renderDoor();
  });
  const scan = document.querySelector('main .scan');
  scan?.before(box, result);
  if (state) box.open = true;
  renderDoor();
  new MutationObserver(renderDoor).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  window.addEventListener('online', () => void sync());
  setInterval(() => void sync(), SYNC_EVERY_MS);
  void sync();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
