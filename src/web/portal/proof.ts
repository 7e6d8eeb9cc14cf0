/**
 * The short-lived "valid resident" QR (POST /v1/self/proof): it proves only
 * "holds a valid card of this city" — no name, birth date or number. Drawn
 * big, as SVG, with `qrcode` in alphanumeric mode (qrSegments), and a
 * countdown to its expiry; it disappears when it expires.
 */
import QRCode, { type QRCodeSegment } from 'qrcode';
import { qrSegments } from '../../credential/qr-text.js';
import { h } from '../shared/dom.js';
import type { PortalCtx } from './context.js';

/** A proof's text is Base45, as a card's: one alphanumeric segment. */
function segments(text: string): QRCodeSegment[] {
  return qrSegments(text) as QRCodeSegment[];
}

export function proofPanel(ctx: PortalCtx): HTMLElement {
  const { t } = ctx;
  const out = h('div', { 'aria-live': 'polite' });
  let timer: ReturnType<typeof setInterval> | undefined;
  ctx.onLeave(() => clearInterval(timer));

  async function show() {
    clearInterval(timer);
    try {
      const { qr, validUntil } = await ctx.api.request<{ qr: string; validUntil: string }>('POST', '/v1/self/proof');
      const svg = await QRCode.toString(segments(qr), { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
      const img = h('img', { class: 'qr', src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt: t('proof.alt'), 'data-qr': qr });
      const left = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
      const end = Date.parse(validUntil);
      const tick = () => {
        const s = Math.max(0, Math.round((end - Date.now()) / 1000));
        left.textContent = t('proof.left', { time: `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` });
        if (s === 0) {
          clearInterval(timer);
          out.replaceChildren(h('p', { class: 'notice' }, t('proof.expired')), again);
        }
      };
      tick();
      timer = setInterval(tick, 1000);
      out.replaceChildren(img, left, h('p', { class: 'hint' }, t('proof.how')), again);
      ctx.say(t('proof.ready'));
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error', role: 'alert' }, ctx.problem(err)));
    }
  }
  const again = h('button', { type: 'button', onclick: () => void show() }, t('proof.new'));

  return h(
    'section',
    { class: 'card-box', 'aria-labelledby': 'proof-h' },
    h('h2', { id: 'proof-h' }, t('proof.title')),
    h('p', {}, t('proof.intro')),
    h('button', { type: 'button', class: 'primary', onclick: () => void show() }, t('proof.show')),
    out,
  );
}
