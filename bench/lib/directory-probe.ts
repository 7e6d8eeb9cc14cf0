/**
 * Bundled for the browser by bench/directory-bundle.ts: the verifier page's own
 * code (src/web/verify) on `window`, so the bench can time each step in Chromium.
 */
import { check } from '../../src/web/verify/check.js';
import { openDirectory } from '../../src/web/verify/directory.js';
import { openBundle, pinRoot } from '../../src/web/verify/trust.js';

(globalThis as Record<string, unknown>).__probe = { check, openBundle, openDirectory, pinRoot };
