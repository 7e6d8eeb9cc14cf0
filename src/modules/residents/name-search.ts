/**
 * The forgiving part of resident search (issue 15, item 9): a clerk types
 * the start of a name ("Nou" for Noura) or spells it as they heard it ("Nur
 * Hadad" for Noor Haddad). Two more keyed blind indexes per name token,
 * beside the whole-token one (resident-sealing.ts), each an HMAC under the
 * blind-index key with its own domain, so the database holds no name:
 * - `prefix`: the token's first 3 to 8 letters (case, accents and
 *   punctuation folded as for the token), and the same of its Latin
 *   transliteration when the token is in another script;
 * - `phonetic`: the Double Metaphone keys (primary and alternate) of the
 *   token's Latin transliteration (any-ascii): Noor and Nur give NR,
 *   Haddad and Hadad HTT, Олександр and Aleksandr ALKSNTR.
 * Bounded: the first MAX_TOKENS tokens of each name, at most 12 prefixes and
 * 2 phonetic keys a token. What each reveals to someone holding the database
 * is in README.md ("Search indexes").
 *
 * A query token matches a record's token when it is equal, a prefix of it, or
 * sounds the same; every query token must match. The indexes only find
 * candidates (a prefix index stops at 8 letters, phonetic keys collide on
 * purpose): `matches` decides on the decrypted names.
 */
import anyAscii from 'any-ascii';
import { doubleMetaphone } from 'double-metaphone';
import { normaliseForIndex, type BlindIndex } from '../../security/blind-index.js';
import type { Names } from './resident-record.js';

export const PREFIX_MIN = 3;
export const PREFIX_MAX = 8;
/** Tokens of one name that get prefix and phonetic entries (a name of 100 characters has at most ~50). */
export const MAX_TOKENS = 10;
/** Phonetic keys shorter than this say too little to search by (Zoë → "S"). */
const PHONETIC_MIN = 2;

export const DOMAINS = { prefix: 'resident-name-prefix', phonetic: 'resident-name-phonetic' } as const;

/** The token in Latin letters, folded like the index (empty when it has none). */
function latin(token: string): string {
  return normaliseForIndex(anyAscii(token)).replace(/[^a-z0-9 ]/g, '');
}

/** Prefixes of length PREFIX_MIN..PREFIX_MAX, shorter than the token itself (the token index has that). */
function prefixes(token: string): string[] {
  const chars = Array.from(token);
  const out: string[] = [];
  for (let n = PREFIX_MIN; n <= Math.min(PREFIX_MAX, chars.length - 1); n++) out.push(chars.slice(0, n).join(''));
  return out;
}

/** Double Metaphone keys of the token's Latin form (one word: a transliteration may hold spaces). */
export function phoneticKeys(token: string): string[] {
  const word = latin(token).replace(/ /g, '');
  if (!word) return [];
  return [...new Set(doubleMetaphone(word))].filter((k) => k.length >= PHONETIC_MIN);
}

/** The tokens of a name as the index folds them. */
export function tokens(name: string): string[] {
  const norm = normaliseForIndex(name);
  return norm ? norm.split(' ') : [];
}

/** Prefix and phonetic entries of a record's names (plain values; the caller keys them). */
export function searchTerms(names: Partial<Names>): Array<{ kind: 'prefix' | 'phonetic'; term: string }> {
  const out = new Map<string, { kind: 'prefix' | 'phonetic'; term: string }>();
  for (const name of Object.values(names)) {
    if (!name) continue;
    for (const token of tokens(name).slice(0, MAX_TOKENS)) {
      const forms = new Set([token, latin(token).replace(/ /g, '')].filter(Boolean));
      for (const form of forms) for (const p of prefixes(form)) out.set(`p:${p}`, { kind: 'prefix', term: p });
      for (const k of phoneticKeys(token)) out.set(`m:${k}`, { kind: 'phonetic', term: k });
    }
  }
  return [...out.values()];
}

/** Blind indexes of the prefix and phonetic entries. */
export function searchLookups(blindIndex: BlindIndex, names: Partial<Names>): Array<{ kind: 'prefix' | 'phonetic'; value: string }> {
  return searchTerms(names).map(({ kind, term }) => ({ kind, value: blindIndex(DOMAINS[kind], term) }));
}

/**
 * What one query token may match, as (kind, blind index) pairs: the whole
 * token, any token it begins (up to PREFIX_MAX letters), one that sounds alike.
 */
export function queryAlternatives(blindIndex: BlindIndex, token: string): Array<{ kind: 'token' | 'prefix' | 'phonetic'; value: string }> {
  const out: Array<{ kind: 'token' | 'prefix' | 'phonetic'; value: string }> = [{ kind: 'token', value: blindIndex('resident-name-token', token) }];
  const chars = Array.from(token);
  if (chars.length >= PREFIX_MIN) out.push({ kind: 'prefix', value: blindIndex(DOMAINS.prefix, chars.slice(0, PREFIX_MAX).join('')) });
  for (const k of phoneticKeys(token)) out.push({ kind: 'phonetic', value: blindIndex(DOMAINS.phonetic, k) });
  return out;
}

/** Whether a decrypted record answers the query: each query token equals, begins or sounds like one of its names' tokens. */
export function matches(names: Partial<Names>, query: string[]): boolean {
  const own = Object.values(names).flatMap((n) => (n ? tokens(n) : []));
  const forms = own.flatMap((t) => [t, latin(t).replace(/ /g, '')]).filter(Boolean);
  const sounds = new Set(own.slice(0, MAX_TOKENS * 4).flatMap(phoneticKeys));
  return query.every((q) => {
    if (own.includes(q)) return true;
    if (Array.from(q).length >= PREFIX_MIN && forms.some((f) => f.startsWith(q))) return true;
    return phoneticKeys(q).some((k) => sounds.has(k));
  });
}
