/**
 * Enrolment accepts only names the card prints whole (issue 15, item 3): for
 * wide Latin capitals, Arabic, Devanagari and Chinese/Japanese, the longest
 * name the card's layout sets (two lines at 7 pt or more) is enrolled,
 * issued and reads back whole from the card and the A4 sheet served by the
 * API; a letter more is refused with 422 name-too-long-for-card naming the
 * limit — on enrolment, edits and imports.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_NAME_MAX_BYTES, CARD_NAME_PRINT } from '../../src/modules/residents/card-budget.js';
import { NAME_MAX } from '../../src/modules/residents/names.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';
import { atLimit, NAME_KINDS, type NameKind } from '../helpers/long-names.js';

const NOW = new Date('2026-03-02T10:00:00Z');
let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock: () => NOW });
});
afterAll(() => t.close());

/**
 * Whether enrolment accepts the names: the print (the card's layout), and
 * the other limits a name meets first in some scripts — 100 code points
 * (names.ts) and the QR code's 200 bytes (card-budget.ts): Devanagari fits
 * the print long after it has used the QR code's bytes.
 */
const layout = async (names: { printed: string; original?: string }) => {
  const within = Object.values(names).every((n) => [...n].length <= NAME_MAX && Buffer.byteLength(n) <= CARD_NAME_MAX_BYTES);
  return { fits: within && (await t.app.services.cardPdf.layoutNames(names)).fits };
};
const post = (names: Record<string, string>) => t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...REFERENCE_RESIDENT, names } });

/** Text of page 1 as drawn (pdftotext -raw), or in reading order for right-to-left text; spaces and line breaks dropped. */
function text(pdf: Buffer, rtl: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'lcc-print-'));
  try {
    writeFileSync(join(dir, 'c.pdf'), pdf);
    const out = execFileSync('pdftotext', [...(rtl ? [] : ['-raw']), '-f', '1', '-l', '1', '-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
    return out.normalize('NFKC').replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069\s]/g, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function expectRefusal(res: { statusCode: number; json(): Record<string, unknown> }, path: string, limit: 'print' | 'bytes' = 'print') {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(422);
  const body = res.json();
  expect(body).toMatchObject({ code: 'name-too-long-for-card', maxLines: 2, minFontSizePt: 7, lineWidthMm: CARD_NAME_PRINT.lineWidthMm, maxBytes: CARD_NAME_MAX_BYTES });
  // The limit is named in the detail, and the field in errors.
  expect(String(body.detail)).toContain(`${CARD_NAME_PRINT.maxLines} lines of ${CARD_NAME_PRINT.lineWidthMm} mm at 7 pt`);
  expect(body.errors).toEqual([{ path, message: expect.stringContaining(limit === 'print' ? 'does not print whole on the card' : 'bytes in UTF-8') }]);
}

describe('names at the print limit of each script', () => {
  for (const kind of Object.keys(NAME_KINDS) as NameKind[]) {
    it(`${kind}: at the limit enrolled, issued and whole on card and sheet; a letter more refused`, async () => {
      const { fits, over } = await atLimit(layout, kind);
      const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: fits } });
      const card = await issue(t, id);
      for (const layoutName of ['card', 'sheet']) {
        const pdf = await t.app.inject({ url: `/v1/cards/${card.number}/pdf?layout=${layoutName}`, headers: t.auth('clerk') });
        expect(pdf.statusCode).toBe(200);
        expect(text(pdf.rawPayload, kind === 'arabic')).toContain(fits.normalize('NFKC').replace(/\s/g, ''));
      }
      // Devanagari meets the QR code's byte budget before the print's.
      expectRefusal(await post({ printed: over }), '/body/names/printed', kind === 'devanagari' ? 'bytes' : 'print');
    });
  }

  it('the original-script name is held to the same rule; the legal name is not printed and is not', async () => {
    const { fits, over } = await atLimit(layout, 'cjk', 'original');
    expect((await post({ printed: 'Ana Li', original: fits })).statusCode).toBe(201);
    expectRefusal(await post({ printed: 'Ana Li', original: over }), '/body/names/original');
    expect((await post({ printed: 'Ana Li', legal: over })).statusCode).toBe(201);
  });

  it('an edit to a name over the limit is refused and the record stays as it was', async () => {
    const { over } = await atLimit(layout, 'latinWide');
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Ana Li' } });
    const res = await t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': '"1"' }, payload: { names: { printed: over } } });
    expectRefusal(res, '/body/names/printed');
    expect((await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).json().names.printed).toBe('Ana Li');
  });

  it('an import refuses the batch naming the record, and keeps none of it', async () => {
    const { over } = await atLimit(layout, 'arabic');
    const before = await t.app.services.residents.count();
    const inputs = [{ ...REFERENCE_RESIDENT, names: { printed: 'Imported One' } }, { ...REFERENCE_RESIDENT, names: { printed: over } }];
    await expect(t.app.services.residents.importMany({ type: 'system' }, inputs as never)).rejects.toMatchObject({ code: 'name-too-long-for-card', options: { extra: { index: 1, maxLines: 2 } } });
    expect(await t.app.services.residents.count()).toBe(before);
  });

  it('the 60-character name of the report is enrolled and prints whole (it used to end "…Villanu")', async () => {
    const name = 'María-Fernanda Rodriguez-Villanueva de la Concepción Wójcik';
    const card = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: name } }));
    const pdf = await t.app.inject({ url: `/v1/cards/${card.number}/pdf`, headers: t.auth('clerk') });
    expect(text(pdf.rawPayload, false)).toContain(name.replace(/\s/g, ''));
  });
});
