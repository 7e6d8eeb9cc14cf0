/** The languages the service speaks from the start (DESIGN.md "Languages"). */
export const LANGUAGES = ['en', 'fr', 'es', 'pt', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Right-to-left languages among them. */
export const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar']);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Picks the best supported language from an Accept-Language header
 * (RFC 9110 §12.5.4), falling back to `fallback`.
 */
export function negotiateLanguage(header: string | undefined, fallback: Language = 'en'): Language {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((r) => r.tag && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (isLanguage(base)) return base;
  }
  return fallback;
}
