/**
 * Welcoming Week in the portal: the holder's places (`GET /v1/self/events`)
 * — "you have a place" with the ticket QR, "waiting list, position N", or
 * "entered in the draw" — withdrawing, and asking for a place at an upcoming
 * event that takes RSVPs. The ticket QR names the event and a random ticket
 * id only; it is valid 15 minutes, so it is fetched fresh each time it is
 * shown and disappears when it expires. Strings live here (five languages)
 * rather than in portal.json, which other screens share.
 */
import QRCode from 'qrcode';
import { h } from '../shared/dom.js';
import type { Lang } from '../shared/i18n.js';
import type { PortalCtx } from './context.js';

interface EventView {
  id: string;
  title: Record<string, string>;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: { name: string; address: string } | null;
  rsvp: string;
  access: string;
  drawAt: string | null;
}
interface Mine {
  event: EventView;
  status: 'confirmed' | 'waitlisted' | 'entered';
  position?: number;
  entryId: string;
  ticket?: { qr: string; validUntil: string };
}

type W = 'title' | 'intro' | 'none' | 'place' | 'waiting' | 'entered' | 'ticket' | 'ticketAlt' | 'ticketLeft' | 'ticketExpired' | 'showTicket' | 'withdraw' | 'withdrawn' | 'upcoming' | 'ask' | 'asked' | 'lottery' | 'cardHolders' | 'entryId';
const S: Record<Lang, Record<W, string>> = {
  en: {
    title: 'Welcoming Week: your places', intro: 'Events you asked a place at. Nothing links you to an event once it is over: your places are deleted a week later.', none: 'You have asked for no place yet.',
    place: 'You have a place', waiting: 'Waiting list, position {{n}}', entered: 'Entered in the draw of {{at}}', ticket: 'Your ticket', ticketAlt: 'Ticket QR code for {{event}}',
    ticketLeft: 'Valid for {{time}}. Show it at the door.', ticketExpired: 'This ticket view has expired: show it again.', showTicket: 'Show my ticket', withdraw: 'Give up my place', withdrawn: 'Done: you no longer have a place at {{event}}.',
    upcoming: 'Events taking places', ask: 'Ask for a place', asked: 'Asked: {{event}}.', lottery: 'Places drawn by lot on {{at}}.', cardHolders: 'Card holders only.', entryId: 'Your entry number in the published draw: {{id}}',
  },
  fr: {
    title: 'Semaine de l’accueil : vos places', intro: 'Les événements où vous avez demandé une place. Rien ne vous relie à un événement une fois passé : vos places sont effacées une semaine après.', none: 'Vous n’avez encore demandé aucune place.',
    place: 'Vous avez une place', waiting: 'Liste d’attente, position {{n}}', entered: 'Inscrit au tirage du {{at}}', ticket: 'Votre billet', ticketAlt: 'Code QR du billet pour {{event}}',
    ticketLeft: 'Valable {{time}}. Montrez-le à l’entrée.', ticketExpired: 'Cet affichage du billet a expiré : affichez-le à nouveau.', showTicket: 'Afficher mon billet', withdraw: 'Renoncer à ma place', withdrawn: 'C’est fait : vous n’avez plus de place à {{event}}.',
    upcoming: 'Événements sur inscription', ask: 'Demander une place', asked: 'Demande faite : {{event}}.', lottery: 'Places tirées au sort le {{at}}.', cardHolders: 'Réservé aux titulaires de la carte.', entryId: 'Votre numéro dans le tirage publié : {{id}}',
  },
  es: {
    title: 'Semana de Bienvenida: sus plazas', intro: 'Los eventos en los que pidió plaza. Nada le vincula a un evento una vez pasado: sus plazas se borran una semana después.', none: 'Todavía no ha pedido ninguna plaza.',
    place: 'Tiene una plaza', waiting: 'Lista de espera, posición {{n}}', entered: 'Inscrito en el sorteo del {{at}}', ticket: 'Su entrada', ticketAlt: 'Código QR de la entrada para {{event}}',
    ticketLeft: 'Válida {{time}}. Muéstrela en la puerta.', ticketExpired: 'Esta vista de la entrada ha caducado: vuelva a mostrarla.', showTicket: 'Mostrar mi entrada', withdraw: 'Renunciar a mi plaza', withdrawn: 'Hecho: ya no tiene plaza en {{event}}.',
    upcoming: 'Eventos con inscripción', ask: 'Pedir una plaza', asked: 'Pedida: {{event}}.', lottery: 'Plazas sorteadas el {{at}}.', cardHolders: 'Solo para titulares de la tarjeta.', entryId: 'Su número en el sorteo publicado: {{id}}',
  },
  pt: {
    title: 'Semana de Acolhimento: os seus lugares', intro: 'Os eventos em que pediu lugar. Nada o liga a um evento depois de ele passar: os seus lugares são apagados uma semana depois.', none: 'Ainda não pediu nenhum lugar.',
    place: 'Você tem um lugar', waiting: 'Lista de espera, posição {{n}}', entered: 'Inscrito no sorteio de {{at}}', ticket: 'O seu ingresso', ticketAlt: 'Código QR do ingresso para {{event}}',
    ticketLeft: 'Válido por {{time}}. Mostre-o na porta.', ticketExpired: 'Esta exibição do ingresso expirou: mostre-o de novo.', showTicket: 'Mostrar o meu ingresso', withdraw: 'Desistir do meu lugar', withdrawn: 'Feito: já não tem lugar em {{event}}.',
    upcoming: 'Eventos com inscrição', ask: 'Pedir um lugar', asked: 'Pedido feito: {{event}}.', lottery: 'Lugares sorteados em {{at}}.', cardHolders: 'Só para titulares do cartão.', entryId: 'O seu número no sorteio publicado: {{id}}',
  },
  ar: {
    title: 'أسبوع الترحيب: أماكنك', intro: 'الفعاليات التي طلبت فيها مكانًا. لا شيء يربطك بفعالية بعد انتهائها: تُحذف أماكنك بعد أسبوع.', none: 'لم تطلب أي مكان بعد.',
    place: 'لديك مكان', waiting: 'قائمة الانتظار، الترتيب {{n}}', entered: 'مسجّل في قرعة {{at}}', ticket: 'تذكرتك', ticketAlt: 'رمز QR لتذكرة {{event}}',
    ticketLeft: 'صالحة لمدة {{time}}. أظهرها عند الباب.', ticketExpired: 'انتهى عرض هذه التذكرة: أظهرها من جديد.', showTicket: 'أظهر تذكرتي', withdraw: 'أتخلى عن مكاني', withdrawn: 'تم: لم يعد لديك مكان في {{event}}.',
    upcoming: 'فعاليات بالتسجيل', ask: 'اطلب مكانًا', asked: 'تم الطلب: {{event}}.', lottery: 'تُسحب الأماكن بالقرعة في {{at}}.', cardHolders: 'لحاملي البطاقة فقط.', entryId: 'رقم مشاركتك في القرعة المنشورة: {{id}}',
  },
};

export function eventsPanel(ctx: PortalCtx): HTMLElement {
  const t = (w: W, vars: Record<string, string | number> = {}) => S[ctx.lang][w].replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ''));
  const titleOf = (e: EventView) => e.title[ctx.lang] ?? e.title.en ?? '';
  // In the event's own zone: 18:00 in Paris is 18:00 wherever the phone is set.
  const when = (iso: string, zone: string) => new Intl.DateTimeFormat(`${ctx.lang}-u-nu-latn`, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const timers: Array<ReturnType<typeof setInterval>> = [];
  ctx.onLeave(() => timers.forEach(clearInterval));
  const list = h('div', { class: 'events-mine' });
  const upcoming = h('div', { class: 'events-upcoming' });
  const msg = h('p', { role: 'status' });

  async function showTicket(item: Mine, out: HTMLElement) {
    // A fresh ticket each time (15 minutes).
    const fresh = (await ctx.api.request<{ items: Mine[] }>('GET', '/v1/self/events')).items.find((i) => i.event.id === item.event.id);
    if (!fresh?.ticket) return load();
    const svg = await QRCode.toString(fresh.ticket.qr, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
    const img = h('img', { class: 'qr', src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt: t('ticketAlt', { event: titleOf(item.event) }), 'data-qr': fresh.ticket.qr });
    const left = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
    const end = Date.parse(fresh.ticket.validUntil);
    const timer = setInterval(tick, 1000);
    timers.push(timer);
    function tick() {
      const s = Math.max(0, Math.round((end - Date.now()) / 1000));
      left.textContent = t('ticketLeft', { time: `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` });
      if (s === 0) {
        clearInterval(timer);
        out.replaceChildren(h('p', { class: 'notice' }, t('ticketExpired')));
      }
    }
    tick();
    out.replaceChildren(h('h4', {}, t('ticket')), img, left);
  }

  function row(item: Mine) {
    const out = h('div', { 'aria-live': 'polite' });
    const state = item.status === 'confirmed' ? t('place') : item.status === 'waitlisted' ? t('waiting', { n: item.position ?? 0 }) : t('entered', { at: item.event.drawAt ? when(item.event.drawAt, item.event.timeZone) : '' });
    return h(
      'li',
      { class: `event-place ${item.status}`, 'data-event': item.event.id },
      h('h3', {}, titleOf(item.event)),
      h('p', { class: 'when' }, when(item.event.startsAt, item.event.timeZone), item.event.place ? ` — ${item.event.place.name}` : ''),
      h('p', { class: 'rsvp-state' }, h('strong', {}, state)),
      item.event.rsvp === 'lottery' ? h('p', { class: 'hint' }, t('entryId', { id: item.entryId })) : null,
      h(
        'div',
        { class: 'row' },
        item.status === 'confirmed' ? h('button', { type: 'button', class: 'primary', onclick: () => void showTicket(item, out).catch((e: unknown) => (msg.textContent = ctx.problem(e))) }, t('showTicket')) : null,
        h(
          'button',
          {
            type: 'button',
            onclick: async () => {
              try {
                await ctx.api.request('DELETE', `/v1/self/events/${item.event.id}/rsvp`);
                msg.textContent = t('withdrawn', { event: titleOf(item.event) });
                ctx.say(msg.textContent);
                await load();
              } catch (err) {
                msg.textContent = ctx.problem(err);
              }
            },
          },
          t('withdraw'),
        ),
      ),
      out,
    );
  }

  async function load() {
    timers.splice(0).forEach(clearInterval);
    try {
      const [{ items: mine }, { items: open }] = await Promise.all([
        ctx.api.request<{ items: Mine[] }>('GET', '/v1/self/events'),
        ctx.api.request<{ items: EventView[] }>('GET', `/v1/events?from=${encodeURIComponent(new Date().toISOString())}`),
      ]);
      list.replaceChildren(mine.length ? h('ul', { class: 'plain' }, ...mine.map(row)) : h('p', {}, t('none')));
      const taken = new Set(mine.map((m) => m.event.id));
      const offer = open.filter((e) => e.rsvp !== 'none' && !taken.has(e.id) && Date.parse(e.startsAt) > Date.now() && !(e.drawAt && Date.parse(e.drawAt) <= Date.now()));
      upcoming.replaceChildren(
        ...(offer.length
          ? [
              h('h3', {}, t('upcoming')),
              h(
                'ul',
                { class: 'plain' },
                ...offer.map((e) =>
                  h(
                    'li',
                    { class: 'event-offer', 'data-event': e.id },
                    h('h4', {}, titleOf(e)),
                    h('p', { class: 'when' }, when(e.startsAt, e.timeZone), e.place ? ` — ${e.place.name}` : ''),
                    e.rsvp === 'lottery' && e.drawAt ? h('p', { class: 'hint' }, t('lottery', { at: when(e.drawAt, e.timeZone) })) : null,
                    e.access === 'card-holders' ? h('p', { class: 'hint' }, t('cardHolders')) : null,
                    h(
                      'button',
                      {
                        type: 'button',
                        onclick: async () => {
                          try {
                            await ctx.api.request('POST', `/v1/self/events/${e.id}/rsvp`);
                            msg.textContent = t('asked', { event: titleOf(e) });
                            ctx.say(msg.textContent);
                            await load();
                          } catch (err) {
                            msg.textContent = ctx.problem(err);
                          }
                        },
                      },
                      t('ask'),
                      h('span', { class: 'visually-hidden' }, ` — ${titleOf(e)}`),
                    ),
                  ),
                ),
              ),
            ]
          : []),
      );
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }
  void load();
  return h('section', { class: 'card-box', 'aria-labelledby': 'events-h' }, h('h2', { id: 'events-h' }, t('title')), h('p', {}, t('intro')), msg, list, upcoming);
}
