/**
 * The project's root folder (the one holding package.json), found from this
 * file's place — the same whether the code runs from src/ under tsx or from
 * the bundle `npm start` builds into dist/. Every data file (migrations,
 * locales, templates, page sources) is addressed from here.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

export const fromRoot = (...parts: string[]) => join(PROJECT_ROOT, ...parts);
