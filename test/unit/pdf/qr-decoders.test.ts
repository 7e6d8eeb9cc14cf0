/**
 * Every printed card decodes with two independent decoders, jsQR and
 * @zxing/library 0.21.3, from renders of its back at 150, 200, 300 and
 * 600 dpi (src/pdf/qr.ts picks a mask zxing reads; before that, one card
 * in eight failed in zxing at some resolution).
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { generateCardNumber, issueCardQrText, thumbprint } from '../../../src/credential/index.js';
import { createCardRenderer, loadTheme } from '../../../src/pdf/index.js';
import { sampleViews } from '../../../src/pdf/samples.js';

type JsQR = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQR = (jsQRModule as unknown as { default?: JsQR }).default ?? (jsQRModule as unknown as JsQR);
const zxing = new QRCodeReader();

function decodeBoth(pngFile: string): { jsqr?: string; zxing?: string } {
  const png = PNG.sync.read(readFileSync(pngFile));
  const lum = new Uint8ClampedArray(png.width * png.height);
  for (let p = 0; p < lum.length; p++) lum[p] = (png.data[p * 4]! * 299 + png.data[p * 4 + 1]! * 587 + png.data[p * 4 + 2]! * 114) / 1000;
  let z: string | undefined;
  try {
    z = zxing.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, png.width, png.height))), new Map([[DecodeHintType.TRY_HARDER, true]])).getText();
  } catch {
    z = undefined;
  }
  const j = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)?.data;
  return { ...(j ? { jsqr: j } : {}), ...(z ? { zxing: z } : {}) };
}

describe('printed cards read with jsQR and zxing at 150, 200, 300 and 600 dpi', () => {
  it('sixteen cards (the ones that failed zxing before among them), every resolution, both decoders', async () => {
    // Fixed key and numbers: the same sixteen symbols every run.
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 0x11)]);
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const x = createPublicKey(privateKey).export({ format: 'jwk' }).x as string;
    const signer = { kid: await thumbprint({ kty: 'OKP', crv: 'Ed25519', x }), privateKey, alg: 'EdDSA' as const, signBytes: (d: Uint8Array) => sign(null, d, privateKey) };
    let seed = 1;
    const draw = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255);
    const names = ['Maria Fernanda Oliveira Santos', 'Amina Haddad', 'Nguyễn Thị Minh Khai', 'Jean-Baptiste Dupont-Lefèvre', 'Zoë', 'Oluwaseun Adebayo-Okafor', 'Ana Li', 'Konstantinos Papadopoulos-Ioan'];
    const renderer = await createCardRenderer();
    const views = (await sampleViews(await loadTheme())).map((s) => s.view);
    const iss = 'http://localhost:3000';
    const failures: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'lcc-qr-'));
    try {
      for (let i = 0; i < 16; i++) {
        const qrText = await issueCardQrText({ issuer: iss, number: generateCardNumber(draw), name: names[i % 8]!, birthDate: '1990-04-12', country: 'FR', issuedOn: '2026-03-02', expiresOn: '2031-03-02', statusIndex: 1000 + i * 7919, statusUri: `${iss}/v1/status-list` }, signer);
        writeFileSync(join(dir, 'card.pdf'), await renderer.card({ ...views[i % views.length]!, qrText }));
        for (const dpi of [150, 200, 300, 600]) {
          execFileSync('pdftoppm', ['-f', '2', '-l', '2', '-r', String(dpi), '-png', '-singlefile', join(dir, 'card.pdf'), join(dir, 'back')]);
          const got = decodeBoth(join(dir, 'back.png'));
          if (got.jsqr !== qrText) failures.push(`card ${i} at ${dpi} dpi: jsQR`);
          if (got.zxing !== qrText) failures.push(`card ${i} at ${dpi} dpi: zxing`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
