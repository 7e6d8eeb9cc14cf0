/**
 * A PostgreSQL array literal ('{"a","b",NULL}') passed as ONE text parameter
 * and cast in SQL (`${pgArray(xs)}::uuid[]`), for bulk statements of the form
 * `INSERT … SELECT * FROM unnest(…)`: one parameter per column instead of one
 * per value, and the same on node-postgres and PGlite. Binary values go as
 * hex and are decoded in SQL (`decode(x, 'hex')`).
 */
export function pgArray(values: ReadonlyArray<string | number | null>): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}
