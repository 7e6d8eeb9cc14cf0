/**
 * Renders sample cards so anyone can look at them:
 *   npx tsx scripts/render-card.ts            # the Arabic sample: card, sheet, PNGs
 *   npx tsx scripts/render-card.ts --all      # one card per script
 *   npx tsx scripts/render-card.ts cjk korean # chosen samples (ids in src/pdf/samples.ts)
 * Writes test-artifacts/cards/<id>.pdf, <id>-front.png, <id>-back.png and
 * <id>-sheet.pdf/.png (PNGs need pdftoppm, Debian poppler-utils).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCardRenderer, loadTheme } from '../src/pdf/index.js';
import { sampleViews } from '../src/pdf/samples.js';

const out = join(process.cwd(), 'test-artifacts', 'cards');
mkdirSync(out, { recursive: true });

const args = process.argv.slice(2);
const renderer = await createCardRenderer();
const samples = await sampleViews(await loadTheme());
const chosen = args.includes('--all') ? samples : samples.filter((s) => (args.length ? args.includes(s.id) : s.id === 'arabic'));
if (chosen.length === 0) throw new Error(`no such sample; ids: ${samples.map((s) => s.id).join(', ')}`);

function png(pdf: string, base: string, page: number, dpi: number): string | undefined {
  try {
    execFileSync('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-png', '-singlefile', pdf, base]);
    return `${base}.png`;
  } catch {
    return undefined;
  }
}

for (const { id, script, view } of chosen) {
  const card = await renderer.card(view);
  const file = join(out, `${id}.pdf`);
  writeFileSync(file, card);
  const sheet = await renderer.sheet(view);
  const sheetFile = join(out, `${id}-sheet.pdf`);
  writeFileSync(sheetFile, sheet);
  const pngs = [png(file, join(out, `${id}-front`), 1, 300), png(file, join(out, `${id}-back`), 2, 300), png(sheetFile, join(out, `${id}-sheet`), 1, 100)];
  console.log(`${script}: ${file} (${card.length} bytes), sheet ${sheet.length} bytes${pngs.every(Boolean) ? `, PNGs ${pngs.join(' ')}` : ' (no pdftoppm: no PNGs)'}`);
}
