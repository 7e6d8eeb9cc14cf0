/**
 * The card photo: from the laptop camera (getUserMedia) or a file, cropped to
 * the card's 4:5 frame on a canvas and sent as a 600×750 JPEG. The server
 * re-encodes it without metadata; nothing is kept in the browser.
 *
 * The crop is keyboard-operable: arrows move the picture, + and − zoom.
 */
import { h } from '../shared/dom.js';
import type { Ctx } from './context.js';

const OUT_W = 600;
const OUT_H = 750;
const VIEW_W = 240;
const VIEW_H = 300;

export function photoPanel(ctx: Ctx, residentId: string, onSaved: () => void): HTMLElement {
  const { t } = ctx;
  let stream: MediaStream | null = null;
  let source: HTMLCanvasElement | HTMLImageElement | null = null;
  let dims = { w: 0, h: 0 };
  let base = 1; // source pixels per output pixel at zoom 1 (the frame just fits the picture)
  let zoom = 1;
  let cx = 0;
  let cy = 0;

  const video = h('video', { muted: true, playsinline: true, autoplay: true, hidden: true, class: 'camera', 'aria-label': t('photo.preview') });
  const view = h('canvas', { width: VIEW_W, height: VIEW_H, class: 'crop', tabindex: '0', role: 'img', hidden: true, 'aria-label': t('photo.cropLabel') });
  const zoomInput = h('input', { type: 'range', min: '1', max: '4', step: '0.05', value: '1', id: `zoom-${residentId.slice(0, 8)}` });
  const cropTools = h('div', { hidden: true }, h('div', { class: 'field' }, h('label', { for: zoomInput.id }, t('photo.zoom')), zoomInput), h('p', { class: 'hint' }, t('photo.cropHint')));
  const msg = h('p', { role: 'status' });
  const startBtn = h('button', { type: 'button', onclick: () => void startCamera() }, t('photo.camera'));
  const takeBtn = h('button', { type: 'button', class: 'primary', hidden: true, onclick: () => capture() }, t('photo.take'));
  const fileInput = h('input', { type: 'file', accept: 'image/jpeg,image/png', id: `file-${residentId.slice(0, 8)}` });
  const saveBtn = h('button', { type: 'button', class: 'primary', hidden: true, onclick: () => void save() }, t('photo.save'));

  function stopCamera() {
    stream?.getTracks().forEach((tr) => tr.stop());
    stream = null;
    video.hidden = true;
    takeBtn.hidden = true;
  }
  ctx.onLeave(stopCamera);

  async function startCamera() {
    msg.textContent = '';
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 960 }, facingMode: 'user' }, audio: false });
      video.srcObject = stream;
      video.hidden = false;
      takeBtn.hidden = false;
      await video.play().catch(() => undefined);
      takeBtn.focus();
    } catch {
      msg.textContent = t('photo.noCamera');
    }
  }

  function capture() {
    if (!video.videoWidth) {
      msg.textContent = t('photo.notReady');
      return;
    }
    const c = h('canvas', { width: video.videoWidth, height: video.videoHeight });
    c.getContext('2d')!.drawImage(video, 0, 0);
    stopCamera();
    useSource(c);
  }

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      useSource(img);
      URL.revokeObjectURL(url);
    };
    img.onerror = () => {
      msg.textContent = t('photo.badFile');
      URL.revokeObjectURL(url);
    };
    img.src = url;
  });

  function useSource(src: HTMLCanvasElement | HTMLImageElement) {
    source = src;
    const w = src instanceof HTMLImageElement ? src.naturalWidth : src.width;
    const hh = src instanceof HTMLImageElement ? src.naturalHeight : src.height;
    dims = { w, h: hh };
    base = Math.min(w / OUT_W, hh / OUT_H);
    zoom = 1;
    zoomInput.value = '1';
    cx = w / 2;
    cy = hh / 2;
    view.hidden = false;
    cropTools.hidden = false;
    saveBtn.hidden = false;
    draw();
    view.focus();
    msg.textContent = t('photo.adjust');
  }
  function clamp() {
    const s = base / zoom;
    const halfW = (OUT_W * s) / 2;
    const halfH = (OUT_H * s) / 2;
    cx = Math.min(Math.max(cx, halfW), dims.w - halfW);
    cy = Math.min(Math.max(cy, halfH), dims.h - halfH);
  }

  function render(target: HTMLCanvasElement, guide: boolean) {
    if (!source) return;
    clamp();
    const s = base / zoom;
    const g = target.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, target.width, target.height);
    g.drawImage(source, cx - (OUT_W * s) / 2, cy - (OUT_H * s) / 2, OUT_W * s, OUT_H * s, 0, 0, target.width, target.height);
    if (guide) {
      // Where the face should sit, as on ID photo rules: centred, head about 70 % of the height.
      g.strokeStyle = 'rgba(255,191,71,.9)';
      g.lineWidth = 2;
      g.beginPath();
      g.ellipse(target.width / 2, target.height * 0.45, target.width * 0.3, target.height * 0.33, 0, 0, Math.PI * 2);
      g.stroke();
    }
  }
  const draw = () => render(view, true);

  zoomInput.addEventListener('input', () => {
    zoom = Number(zoomInput.value);
    draw();
  });
  view.addEventListener('keydown', (e) => {
    const step = ((base / zoom) * OUT_W) / 40;
    const rtl = document.documentElement.dir === 'rtl';
    const moves: Record<string, [number, number]> = { ArrowLeft: [rtl ? -step : step, 0], ArrowRight: [rtl ? step : -step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const m = moves[e.key];
    if (m) {
      cx += m[0];
      cy += m[1];
    } else if (e.key === '+' || e.key === '=') zoom = Math.min(4, zoom + 0.1);
    else if (e.key === '-') zoom = Math.max(1, zoom - 0.1);
    else return;
    e.preventDefault();
    zoomInput.value = String(zoom);
    draw();
  });
  // Dragging with a mouse or a finger.
  let drag: { x: number; y: number } | null = null;
  view.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY };
    view.setPointerCapture(e.pointerId);
  });
  view.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const k = (base / zoom) * (OUT_W / VIEW_W);
    cx -= (e.clientX - drag.x) * k;
    cy -= (e.clientY - drag.y) * k;
    drag = { x: e.clientX, y: e.clientY };
    draw();
  });
  view.addEventListener('pointerup', () => (drag = null));

  async function save() {
    if (!source) return;
    const out = h('canvas', { width: OUT_W, height: OUT_H });
    render(out, false);
    const blob = await new Promise<Blob | null>((r) => out.toBlob(r, 'image/jpeg', 0.9));
    if (!blob) return;
    saveBtn.disabled = true;
    try {
      await ctx.api.request('PUT', `/v1/residents/${residentId}/photo`, { body: blob, contentType: 'image/jpeg' });
      msg.textContent = t('photo.saved');
      ctx.say(t('photo.saved'));
      onSaved();
    } catch (err) {
      msg.textContent = ctx.problem(err);
    } finally {
      saveBtn.disabled = false;
    }
  }

  return h(
    'section',
    { class: 'card-box', 'aria-labelledby': `photo-h-${residentId.slice(0, 8)}` },
    h('h2', { id: `photo-h-${residentId.slice(0, 8)}` }, t('photo.title')),
    h('p', { class: 'hint' }, t('photo.intro')),
    h('div', { class: 'row' }, startBtn, takeBtn),
    video,
    h('div', { class: 'field' }, h('label', { for: fileInput.id }, t('photo.file')), fileInput),
    h('div', { class: 'crop-wrap' }, view, cropTools),
    h('div', { class: 'row' }, saveBtn),
    msg,
  );
}
