/**
 * Shared by the console/portal browser tests: Debian's Chromium with a fake
 * camera fed by a generated face-like picture, first-load weight, screenshots
 * and the axe-core check.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import type { TestContext } from '../helpers/app.js';

export const SCREENS = join(process.cwd(), 'test-artifacts', 'screens');

/** A head-and-shoulders drawing → PNG → a 2 s Y4M video for `--use-file-for-fake-video-capture`. */
export async function fakeCameraVideo(dir: string): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="640" height="480" fill="#dfe6ee"/>
    <ellipse cx="320" cy="470" rx="190" ry="120" fill="#2d4a7a"/>
    <rect x="290" y="300" width="60" height="70" fill="#c68e63"/>
    <ellipse cx="320" cy="220" rx="100" ry="128" fill="#c99467"/>
    <path d="M220 200 Q320 60 420 200 Q410 110 320 95 Q230 110 220 200Z" fill="#2b1d14"/>
    <ellipse cx="283" cy="215" rx="14" ry="8" fill="#fff"/><circle cx="283" cy="215" r="6" fill="#3b2616"/>
    <ellipse cx="357" cy="215" rx="14" ry="8" fill="#fff"/><circle cx="357" cy="215" r="6" fill="#3b2616"/>
    <path d="M320 225 L310 268 L330 268" stroke="#8a5a3a" stroke-width="4" fill="none"/>
    <path d="M290 295 Q320 315 350 295" stroke="#7a2e2e" stroke-width="6" fill="none"/>
  </svg>`;
  const png = join(dir, 'face.png');
  await sharp(Buffer.from(svg)).png().toFile(png);
  const y4m = join(dir, 'face.y4m');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-i', png, '-t', '2', '-r', '10', '-pix_fmt', 'yuv420p', y4m]);
  return y4m;
}

export function launch(video?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      ...(video ? [`--use-file-for-fake-video-capture=${video}`] : [])],
  });
}

export async function listen(t: TestContext): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

/** Bytes on the wire (headers + encoded bodies) for a first visit of `url` in a fresh context. */
export async function firstLoadBytes(browser: Browser, url: string): Promise<{ bytes: number; requests: number }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes: Array<Promise<number>> = [];
  page.on('requestfinished', (req) => sizes.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
  await page.goto(url, { waitUntil: 'networkidle' });
  const all = await Promise.all(sizes);
  await context.close();
  return { bytes: all.reduce((a, b) => a + b, 0), requests: all.length };
}

export async function screens(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  const size = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(SCREENS, `${name}-${width}.png`), fullPage: true });
  }
  if (size) await page.setViewportSize(size);
}

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core (WCAG 2.x A/AA rules and best practices) on the page as it is; returns every violation and how many rules passed. */
export async function axe(page: Page): Promise<{ violations: AxeViolation[]; passes: number }> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return { violations: r.violations, passes: (r as unknown as { passes: unknown[] }).passes.length };
  });
  return {
    passes: result.passes,
    violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })),
  };
}

/** A context for axe: CSP bypassed only so the test can inject axe.min.js (the app's CSP forbids inline scripts). */
export const axeContext = (browser: Browser, locale: string): Promise<BrowserContext> =>
  browser.newContext({ locale, viewport: { width: 1280, height: 800 }, bypassCSP: true, permissions: ['camera'] });
