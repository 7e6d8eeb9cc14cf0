/** `bytea` as a Buffer on both drivers (drizzle has no built-in bytea column). */
import { customType } from 'drizzle-orm/pg-core';

export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array | string }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => {
    if (typeof value === 'string') {
      // pg may hand back the hex text form (`\x…`) for some query paths.
      return Buffer.from(value.startsWith('\\x') ? value.slice(2) : value, 'hex');
    }
    // node-postgres already hands a fresh Buffer (no second copy of a photo); PGlite a Uint8Array.
    return Buffer.isBuffer(value) ? value : Buffer.from(value);
  },
});
