/**
 * A few DOM helpers instead of a framework: pages stay a few kB and every
 * text goes in through textContent, never innerHTML, so no string a resident
 * typed can become markup.
 */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * Builds an element. `on…` attributes become listeners; `true` sets a boolean
 * attribute, `false`/`null`/`undefined` leaves it out.
 * @example h('button', { type: 'button', onclick: go }, t('go'))
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else if (name === 'checked' && value === true) (el as HTMLInputElement).checked = true;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
}

/** Replaces an element's content. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let uid = 0;
/** A fresh id for label/describedby pairs. */
export const nextId = (prefix = 'f') => `${prefix}-${++uid}`;

/** A labelled input with an optional hint and an "optional" mark; returns the wrapper and the control. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  opts: { hint?: string; optional?: string } = {},
): HTMLDivElement {
  const id = control.id || nextId();
  control.id = id;
  const lab = h('label', { for: id }, label, opts.optional ? h('span', { class: 'opt' }, ` (${opts.optional})`) : null);
  const wrap = h('div', { class: 'field' }, lab);
  if (opts.hint) {
    const hintId = `${id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    wrap.append(h('p', { class: 'hint', id: hintId }, opts.hint));
  }
  wrap.append(control);
  return wrap;
}

/** A polite live region: screen readers hear status changes without losing their place. */
export function announce(region: HTMLElement, message: string): void {
  region.textContent = '';
  // A tick apart, so the same message twice is still announced.
  setTimeout(() => (region.textContent = message), 30);
}

/** Moves focus to a view's heading, so keyboard and screen-reader users land where the page changed. */
export function focusHeading(root: HTMLElement): void {
  const heading = root.querySelector<HTMLElement>('h1, h2');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}

/** Saves a blob under a name through a temporary link (no URL with data stays around). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
