/**
 * A page of the console or the portal: HTML shell, one CSS file, one script,
 * built with the shared mechanism in assets.ts.
 */
import { readFile } from 'node:fs/promises';
import { asset, bundleCss, bundleScript, type Asset } from './assets.js';

export type { Asset } from './assets.js';

/** Browsers the pages target: any phone browser of the last few years. */
const TARGET = ['chrome100', 'firefox100', 'safari15'];

export interface PageSource {
  /** URL prefix, e.g. `/console`: the page is served at `/console` and `/console/`, its files under it. */
  prefix: string;
  /** Absolute paths of the HTML shell, the CSS entry and the TS entry. */
  html: string;
  css: string;
  script: string;
}

/** URL path → asset for one page: the shell, `<prefix>/app.css` and `<prefix>/app.js`. */
export async function buildPage(src: PageSource): Promise<Map<string, Asset>> {
  const [html, css, js] = await Promise.all([readFile(src.html), bundleCss(src.css), bundleScript(src.script, { target: TARGET })]);
  const page = asset('text/html; charset=utf-8', html);
  return new Map([
    [src.prefix, page],
    [`${src.prefix}/`, page],
    [`${src.prefix}/app.css`, asset('text/css; charset=utf-8', css)],
    [`${src.prefix}/app.js`, asset('text/javascript; charset=utf-8', js)],
  ]);
}
