/**
 * QR reading in the browser with jsQR (desktop Chromium has no
 * BarcodeDetector): frames from the camera, or one uploaded photo. Frames are
 * read from a canvas and dropped; nothing is kept.
 */
import jsQRModule from 'jsqr';

type JsQR = (data: Uint8ClampedArray, width: number, height: number, opts?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' }) => { data: string } | null;
// jsqr is CommonJS: its default export is module.exports itself.
const jsQR: JsQR = (jsQRModule as unknown as { default?: JsQR }).default ?? (jsQRModule as unknown as JsQR);

/** Frames are scaled down to this width at most: enough for a card's QR, cheap to scan. */
const MAX_FRAME_WIDTH = 1280;
const FRAME_INTERVAL_MS = 150;

function decodeFrom(source: CanvasImageSource, width: number, height: number, maxWidth: number, canvas: HTMLCanvasElement, invert: boolean): string | null {
  const scale = Math.min(1, maxWidth / width);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  if (!g) return null;
  g.drawImage(source, 0, 0, w, h);
  const img = g.getImageData(0, 0, w, h);
  return jsQR(img.data, w, h, { inversionAttempts: invert ? 'attemptBoth' : 'dontInvert' })?.data ?? null;
}

export interface Scanner {
  stop(): void;
}

/**
 * Opens the camera (rear camera preferred) into `video` and calls `onCode`
 * once with the first QR text read, then stops.
 * @throws DOMException when there is no camera or permission is refused.
 */
export async function startScanner(video: HTMLVideoElement, onCode: (text: string) => void): Promise<Scanner> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
  const canvas = document.createElement('canvas');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  await video.play();
  const tick = () => {
    if (stopped) return;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      const text = decodeFrom(video, video.videoWidth, video.videoHeight, MAX_FRAME_WIDTH, canvas, false);
      if (text) {
        stop();
        onCode(text);
        return;
      }
    }
    timer = setTimeout(tick, FRAME_INTERVAL_MS);
  };
  tick();
  return { stop };
}

/** Reads the QR code in a photo: full size (capped), then smaller, inverted too. */
export async function decodePhoto(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    const canvas = document.createElement('canvas');
    for (const maxWidth of [2000, 1000]) {
      const text = decodeFrom(bitmap, bitmap.width, bitmap.height, maxWidth, canvas, true);
      if (text) return text;
    }
    return null;
  } finally {
    bitmap.close();
  }
}
