/**
 * Card rendering (pdfkit): `createCardRenderer()` parses the fonts once, then
 * `card(view)` gives a two-page ID-1 PDF (front, back) and `sheet(view)` an
 * A4 page with both sides and crop marks. No HTTP, no storage.
 */
export { createCardRenderer, CARD_HEIGHT, CARD_WIDTH, A4_HEIGHT, A4_WIDTH } from './render.js';
export type { CardRenderer, CardRendererOptions, CardView } from './render.js';
export { loadTheme, parseSvgLogo, DEFAULT_THEME_DIR } from './theme.js';
export type { CardTheme, ThemeColors, SvgLogo, ImageLogo } from './theme.js';
export { loadFonts, FONT_FILES } from './fonts.js';
export type { FontFamily, FontSet } from './fonts.js';
export { qrMatrix } from './qr.js';
