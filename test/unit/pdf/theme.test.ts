import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTheme } from '../../../src/pdf/index.js';

function themeDir(json: unknown, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lcc-theme-'));
  writeFileSync(join(dir, 'theme.json'), JSON.stringify(json));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

const colors = { primary: '#17456B', onPrimary: '#FFFFFF', accent: '#D9A21B', text: '#1B1F24', muted: '#5B6573', background: '#FFFFFF', panel: '#E9EFF5' };

describe('loadTheme', () => {
  it('reads templates/default with its SVG logo', async () => {
    const theme = await loadTheme();
    expect(theme.officialLanguage).toBe('en');
    expect(theme.colors.primary).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(theme.logo?.kind).toBe('svg');
    if (theme.logo?.kind === 'svg') expect(theme.logo.paths.length).toBeGreaterThan(2);
  });

  it('rejects a bad colour, an unknown language and a logo outside the folder', async () => {
    await expect(loadTheme(themeDir({ officialLanguage: 'fr', colors: { ...colors, text: 'black' } }))).rejects.toThrow(/colors\.text/);
    await expect(loadTheme(themeDir({ officialLanguage: 'de', colors }))).rejects.toThrow(/officialLanguage/);
    await expect(loadTheme(themeDir({ officialLanguage: 'fr', colors, logo: '../x.svg' }))).rejects.toThrow(/inside the theme folder/);
    await expect(loadTheme(themeDir({ officialLanguage: 'fr', colors, labels: { de: {} } }))).rejects.toThrow(/labels\.de/);
  });

  it('accepts label overrides and a minimal SVG logo', async () => {
    const dir = themeDir(
      { officialLanguage: 'pt', colors, logo: 'l.svg', labels: { pt: { title: 'Cartão municipal' } } },
      { 'l.svg': '<svg viewBox="0 0 10 10"><path d="M0 0 H10 V10 Z" fill="#123456"/></svg>' },
    );
    const theme = await loadTheme(dir);
    expect(theme.labels.pt?.title).toBe('Cartão municipal');
    expect(theme.logo).toEqual({ kind: 'svg', viewBox: [0, 0, 10, 10], paths: [{ d: 'M0 0 H10 V10 Z', fill: '#123456', fillRule: 'nonzero' }] });
  });
});
