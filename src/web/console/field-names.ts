/**
 * A refused field named in the clerk's words: the server's `errors[].path`
 * (a JSON pointer such as `/body/languages/0`) and its English message never
 * reach the screen; the label of the field they point at does.
 */
import type { Key } from './i18n.js';

const FIELDS: Record<string, Key> = {
  'names/printed': 'field.printedName',
  'names/legal': 'field.legalName',
  'names/original': 'field.originalName',
  'names/transliteration': 'field.transliteration',
  names: 'field.printedName',
  birthDate: 'field.birthDate',
  'gender/selfDescribed': 'field.selfDescribed',
  'gender/pronouns': 'field.pronouns',
  'gender/marker': 'field.marker',
  'address/line1': 'field.line1',
  'address/line2': 'field.line2',
  'address/postalCode': 'field.postalCode',
  'address/locality': 'field.locality',
  'address/careOf': 'field.careOf',
  address: 'enrol.address',
  preferredLanguage: 'field.preferredLanguage',
  languages: 'field.languages',
  evidence: 'evidence.legend',
  username: 'staff.username',
  password: 'staff.password',
  role: 'staff.role',
};

/** The label key for a problem's field path, or null when the path names no field the clerk sees. */
export function fieldKey(path: string): Key | null {
  const parts = path.replace(/^\/?(body\/)?/, '').split('/').filter((p) => p && !/^\d+$/.test(p));
  for (let n = parts.length; n > 0; n--) {
    const k = FIELDS[parts.slice(0, n).join('/')];
    if (k) return k;
  }
  return null;
}
