/**
 * The print rules of the names on the card's front, as plain numbers (no
 * fonts loaded): name-layout.ts applies them, and enrolment states them in
 * its refusals (src/modules/residents/card-budget.ts) without loading pdfkit.
 */
import type { Weight } from './text.js';

const MM = 72 / 25.4;
const CARD_W = 85.6 * MM;

/**
 * Where the names go on the front (points from the card's top-left): right
 * of the photo (9 + 66 + 9 pt), 9 pt from the right edge; from just below
 * the "Name" label down to where the two rows of fields must start at the
 * latest to end above the footer stripe (render.ts `front`).
 */
export const NAME_BOX = { x: 84, width: CARD_W - 9 - 84, top: 46.2, bottom: 93 } as const;

/** The fields' default top when the names take one line each (render.ts). */
export const FIELDS_TOP = { withOriginal: 73, without: 64 } as const;

export interface NameRule {
  weight: Weight;
  /** Preferred size; a name on one line may shrink to `oneLineMin` before it wraps. */
  maxSize: number;
  oneLineMin: number;
  /** The floor: no name prints smaller. */
  minSize: number;
  maxLines: number;
}

/** Printed name: bold 11.5 pt, wrapped once it would go below 10 pt, never below 7 pt (2.5 mm, a legible card name). */
export const PRINTED_NAME: NameRule = { weight: 'bold', maxSize: 11.5, oneLineMin: 10, minSize: 7, maxLines: 2 };
/** Original-script name: regular 9 pt, wrapped below 7.5 pt, never below 7 pt. */
export const ORIGINAL_NAME: NameRule = { weight: 'regular', maxSize: 9, oneLineMin: 7.5, minSize: 7, maxLines: 2 };

