/**
 * Server side: builds the verifier page from source with esbuild's JS API, in
 * memory, when the page is first asked for (~0.3 s once per process; API-only
 * processes and tests never pay it). No build step and no generated files:
 * `npm start` and `npm test` serve exactly the `src/credential` code the
 * server runs. Each asset is kept with a strong ETag and its gzip and brotli
 * forms.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fromRoot } from '../../paths.js';
import { asset, bundleCss, bundleScript, type Asset } from '../assets.js';

export type { Asset } from '../assets.js';

/** URL path → asset. The paths of the page shell, which the service worker keeps offline. */
export type VerifierAssets = ReadonlyMap<string, Asset>;

export const SHELL_PATHS = ['/verify', '/verify/', '/verify/app.js', '/verify/verify.css'] as const;
export const WORKER_PATH = '/verify/sw.js';

const here = (file: string) => fromRoot('src', 'web', 'verify', file);
/** Browsers the page targets: WebCrypto Ed25519 arrived in Chrome 137, Firefox 129, Safari 17. */
const TARGET = ['chrome111', 'firefox115', 'safari16'];

export async function buildVerifierAssets(): Promise<VerifierAssets> {
  const [html, css, app] = await Promise.all([
    readFile(here('./index.html')),
    bundleCss(here('./verify.css')),
    bundleScript(here('./main.ts'), { target: TARGET }),
  ]);
  const version = createHash('sha256').update(html).update(css).update(app).digest('base64url').slice(0, 12);
  const worker = await bundleScript(here('./sw.ts'), { target: TARGET, define: { __SHELL_VERSION__: JSON.stringify(version), __SHELL_FILES__: JSON.stringify(SHELL_PATHS) } });
  const page = asset('text/html; charset=utf-8', html);
  return new Map<string, Asset>([
    ['/verify', page],
    ['/verify/', page],
    ['/verify/app.js', asset('text/javascript; charset=utf-8', app)],
    ['/verify/verify.css', asset('text/css; charset=utf-8', css)],
    [WORKER_PATH, asset('text/javascript; charset=utf-8', worker)],
  ]);
}
