/**
 * A city's card theme: plain data under templates/<name>/ that a city edits
 * without touching code (see templates/README.md).
 */
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { isLanguage, LANGUAGES, type Language } from '../i18n/languages.js';
import { fromRoot } from '../paths.js';

export interface ThemeColors {
  /** Header band, QR-side accents. */
  primary: string;
  /** Text drawn on the primary colour. */
  onPrimary: string;
  /** Thin stripes. */
  accent: string;
  /** Values: names, dates, numbers. */
  text: string;
  /** Field labels and fine print. */
  muted: string;
  /** Card background. */
  background: string;
  /** Photo placeholder and soft panels. */
  panel: string;
}

/** A vector logo: SVG `<path>` elements inside a viewBox. */
export interface SvgLogo {
  kind: 'svg';
  viewBox: [number, number, number, number];
  paths: Array<{ d: string; fill: string; fillRule: 'nonzero' | 'evenodd' }>;
}

/** A raster logo (PNG or JPEG), drawn as is. */
export interface ImageLogo {
  kind: 'image';
  data: Buffer;
}

export interface CardTheme {
  name: string;
  /** The city's official language, the default for CardView.officialLanguage. */
  officialLanguage: Language;
  colors: ThemeColors;
  logo?: SvgLogo | ImageLogo;
  /** Per language, overrides of keys of the `card` namespace (e.g. `title`). */
  labels: Partial<Record<Language, Record<string, string>>>;
}

export const DEFAULT_THEME_DIR = fromRoot('templates', 'default');

const HEX = /^#[0-9a-fA-F]{6}$/;
const COLOR_KEYS: ReadonlyArray<keyof ThemeColors> = ['primary', 'onPrimary', 'accent', 'text', 'muted', 'background', 'panel'];

function fail(dir: string, message: string): never {
  throw new Error(`theme ${join(dir, 'theme.json')}: ${message}`);
}

/** Reads a theme folder (default: templates/default/) and checks every field. */
export async function loadTheme(dir: string = DEFAULT_THEME_DIR): Promise<CardTheme> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, 'theme.json'), 'utf8'));
  } catch (err) {
    fail(dir, `cannot read: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== 'object') fail(dir, 'not a JSON object');
  const json = raw as Record<string, unknown>;

  const name = typeof json.name === 'string' ? json.name : 'theme';
  if (!isLanguage(json.officialLanguage)) fail(dir, `officialLanguage must be one of ${LANGUAGES.join(', ')}`);

  const colorsIn = (json.colors ?? {}) as Record<string, unknown>;
  const colors = {} as ThemeColors;
  for (const key of COLOR_KEYS) {
    const value = colorsIn[key];
    if (typeof value !== 'string' || !HEX.test(value)) fail(dir, `colors.${key} must be a colour like "#1a2b3c"`);
    colors[key] = value;
  }

  const labels: CardTheme['labels'] = {};
  const labelsIn = (json.labels ?? {}) as Record<string, unknown>;
  for (const [lng, entries] of Object.entries(labelsIn)) {
    if (!isLanguage(lng)) fail(dir, `labels.${lng}: not a supported language`);
    if (!entries || typeof entries !== 'object') fail(dir, `labels.${lng} must be an object`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(entries as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(dir, `labels.${lng}.${k} must be a string`);
      out[k] = v;
    }
    labels[lng] = out;
  }

  const theme: CardTheme = { name, officialLanguage: json.officialLanguage, colors, labels };
  if (json.logo !== undefined && json.logo !== null) {
    if (typeof json.logo !== 'string') fail(dir, 'logo must be a file name');
    const file = resolve(dir, json.logo);
    if (!file.startsWith(resolve(dir) + sep)) fail(dir, 'logo must lie inside the theme folder');
    const ext = extname(file).toLowerCase();
    const data = await readFile(file).catch((err: Error) => fail(dir, `logo: ${err.message}`));
    if (ext === '.svg') theme.logo = parseSvgLogo(data.toString('utf8'), (m) => fail(dir, `logo: ${m}`));
    else if (ext === '.png' || ext === '.jpg' || ext === '.jpeg') theme.logo = { kind: 'image', data };
    else fail(dir, 'logo must be .svg, .png or .jpg');
  }
  return theme;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[2] ?? m[3]) : undefined;
}

/**
 * The SVG subset a logo may use: a root `viewBox` and `<path d fill
 * fill-rule>` elements (no transforms, strokes, gradients or text; convert
 * shapes to paths in any editor).
 */
export function parseSvgLogo(svg: string, onError: (message: string) => never): SvgLogo {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0];
  if (!root) onError('no <svg> element');
  const vb = attr(root, 'viewBox')?.trim().split(/[\s,]+/).map(Number);
  if (!vb || vb.length !== 4 || vb.some((n) => !Number.isFinite(n)) || vb[2]! <= 0 || vb[3]! <= 0) {
    onError('the <svg> element needs a viewBox="minX minY width height"');
  }
  const paths: SvgLogo['paths'] = [];
  for (const m of svg.matchAll(/<path\b[^>]*>/gi)) {
    const d = attr(m[0], 'd');
    if (!d) continue;
    const fill = attr(m[0], 'fill') ?? '#000000';
    if (fill === 'none') continue;
    if (!/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(fill)) onError(`path fill "${fill}" must be a hex colour`);
    paths.push({ d, fill, fillRule: attr(m[0], 'fill-rule') === 'evenodd' ? 'evenodd' : 'nonzero' });
  }
  if (paths.length === 0) onError('no <path> with a fill');
  return { kind: 'svg', viewBox: vb as [number, number, number, number], paths };
}
