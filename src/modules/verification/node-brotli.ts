/**
 * Brotli for the server's and the CLI's verification (Claim 169 v1.2.2:
 * a verifier must read Brotli as well as zlib). node:zlib stops at
 * `maxOutputLength`, so a Brotli bomb costs nothing; the browser verifier
 * has no Brotli decoder (src/credential/compression.ts).
 */
import { brotliDecompressSync } from 'node:zlib';
import type { BrotliDecompress } from '../../credential/index.js';

export const nodeBrotli: BrotliDecompress = (data, max) => new Uint8Array(brotliDecompressSync(data, { maxOutputLength: max + 1 }));
