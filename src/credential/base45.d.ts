/** Types for `base45` 3.0.0 (RFC 9285), which ships none. */
declare module 'base45' {
  export function encode(data: Uint8Array | string): string;
  export function decode(text: string): Uint8Array;
}
