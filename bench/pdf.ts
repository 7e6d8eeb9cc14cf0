/**
 * Card PDF throughput on one core: `npx tsx bench/pdf.ts [seconds per case]`.
 * Prints PDFs/s and bytes per PDF for a typical Latin card, an Arabic card,
 * every script in turn, and the A4 sheet. Fonts are parsed once (in
 * createCardRenderer), photos are JPEG, the QR is vector.
 */
import { performance } from 'node:perf_hooks';
import { createCardRenderer, loadTheme, type CardView } from '../src/pdf/index.js';
import { sampleViews } from '../src/pdf/samples.js';

const seconds = Number(process.argv[2] ?? 3);
const t0 = performance.now();
const renderer = await createCardRenderer();
const samples = await sampleViews(await loadTheme());
console.log(`renderer ready (fonts parsed, i18n loaded) in ${(performance.now() - t0).toFixed(0)} ms`);

const byId = (id: string): CardView => samples.find((s) => s.id === id)!.view;

/** Every card a different holder: a unique name and number, so no shaped name is reused. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ya', 'ze', 'dé', 'ñu', 'ło', 'ây'];
function unique(view: CardView, i: number): CardView {
  let suffix = '';
  for (let k = i + 1; k > 0; k = Math.floor(k / SYLLABLES.length)) suffix += SYLLABLES[k % SYLLABLES.length];
  const name = suffix.charAt(0).toUpperCase() + suffix.slice(1);
  return { ...view, printedName: `${view.printedName} ${name}`, number: `${view.number}-${i}` };
}

async function run(name: string, next: (i: number) => Promise<Buffer>): Promise<void> {
  for (let i = 0; i < 20; i++) await next(i); // warm-up: JIT, glyph caches
  let n = 0;
  let bytes = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    bytes += (await next(n)).length;
    n++;
  }
  const s = (performance.now() - start) / 1000;
  console.log(`${name.padEnd(28)} ${(n / s).toFixed(1).padStart(7)} PDFs/s  ${Math.round(bytes / n).toString().padStart(7)} bytes/PDF  (${n} in ${s.toFixed(1)} s)`);
}

await run('card, Latin + photo', (i) => renderer.card(unique(byId('latin'), i)));
await run('same card again and again', () => renderer.card(byId('latin')));
await run('card, Arabic + photo', (i) => renderer.card(unique(byId('arabic'), i)));
await run('card, every script in turn', (i) => renderer.card(unique(samples[i % samples.length]!.view, i)));
const { photoJpeg: _none, ...noPhoto } = byId('latin');
await run('card, Latin, no photo', (i) => renderer.card(unique(noPhoto, i)));
await run('A4 sheet, Latin + photo', (i) => renderer.sheet(unique(byId('latin'), i)));
