/**
 * What a clerk typed, carried across a redraw of the same view (switching
 * the console's language redraws every text). Held in memory for the moment
 * of the redraw only: never in localStorage or sessionStorage. Passwords and
 * file pickers are left out. Controls are matched by tag, type and name, in
 * order, so the labels' language does not matter; after restoring, each
 * control hears `input` and `change`, so the view updates what depends on
 * it (the evidence meters, the address fields).
 */
type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
interface Kept {
  key: string;
  value: string;
  checked: boolean;
}
export type Draft = Kept[];

const SKIP = new Set(['password', 'file', 'submit', 'button', 'reset', 'image', 'hidden']);

function controls(root: ParentNode): Array<{ el: Control; key: string }> {
  const seen = new Map<string, number>();
  const out: Array<{ el: Control; key: string }> = [];
  for (const el of Array.from(root.querySelectorAll<Control>('input, select, textarea'))) {
    if (el instanceof HTMLInputElement && SKIP.has(el.type)) continue;
    const base = `${el.tagName}:${el instanceof HTMLInputElement ? el.type : ''}:${el.name}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({ el, key: `${base}:${n}` });
  }
  return out;
}

/** The values of every form control under `root`. */
export function keepDraft(root: ParentNode): Draft {
  return controls(root).map(({ el, key }) => ({ key, value: el.value, checked: el instanceof HTMLInputElement && el.checked }));
}

/** Puts a draft back into the same view, drawn anew; returns how many controls changed. */
export function restoreDraft(root: ParentNode, draft: Draft): number {
  const byKey = new Map(draft.map((k) => [k.key, k]));
  let changed = 0;
  for (const { el, key } of controls(root)) {
    const kept = byKey.get(key);
    if (!kept) continue;
    const box = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
    if (box ? el.checked === kept.checked : el.value === kept.value) continue;
    if (box) el.checked = kept.checked;
    else el.value = kept.value;
    changed++;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
  return changed;
}
