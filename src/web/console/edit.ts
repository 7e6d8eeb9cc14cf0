/**
 * Editing a record (issue 15, item 5): enrolment's form and checks
 * (recordForm), filled with the record as read. Saving sends only what the
 * clerk changed, as a JSON Merge Patch (RFC 7396) with `If-Match` on the
 * version read. When someone else saved in between (412), both versions are
 * shown side by side and the clerk chooses, field by field, which to keep;
 * the choice is saved against the new version. A change to what the card
 * prints offers to replace the card (resident.ts shows the offer).
 */
import { ApiError } from '../shared/api.js';
import { h } from '../shared/dom.js';
import { documentLabel, formatDate, formatList, isLang, languageName, NATIVE_NAMES } from '../shared/i18n.js';
import type { ResidentRecord } from '../shared/resident.js';
import type { Ctx, View } from './context.js';
import { recordForm, valuesOf, type RecordValues, type Rules } from './enrol.js';
import type { Key } from './i18n.js';

interface Resident extends ResidentRecord {
  id: string;
  version: number;
}

/** Sorted keys, no empty members: two values that mean the same compare equal. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x === undefined || x === false || x === '') return undefined;
    if (x && typeof x === 'object' && !Array.isArray(x)) return Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)));
    return x;
  }) ?? 'null';
}

/** One thing the clerk can keep from either version after a conflict. */
interface Part {
  label: Key;
  get(v: RecordValues): unknown;
  copy(to: RecordValues, from: RecordValues): void;
  show(ctx: Ctx, v: RecordValues, rules: Rules): string;
}

const nameParts = (['printed', 'legal', 'original', 'transliteration'] as const).map(
  (k): Part => ({
    label: k === 'printed' ? 'field.printedName' : k === 'legal' ? 'field.legalName' : k === 'original' ? 'field.originalName' : 'field.transliteration',
    get: (v) => v.names[k],
    copy: (to, from) => {
      to.names = { ...to.names, [k]: from.names[k] };
    },
    show: (_ctx, v) => v.names[k] ?? '',
  }),
);

function copyKeys<K extends keyof RecordValues>(...keys: K[]) {
  return (to: RecordValues, from: RecordValues) => {
    for (const k of keys) {
      if (from[k] === undefined) delete to[k];
      else to[k] = structuredClone(from[k]);
    }
  };
}

const PARTS: Part[] = [
  ...nameParts,
  { label: 'field.birthDate', get: (v) => v.birthDate, copy: copyKeys('birthDate'), show: (ctx, v) => (v.birthDate ? formatDate(ctx.lang, v.birthDate) : ctx.t('common.unknown')) },
  {
    label: 'enrol.gender',
    get: (v) => v.gender ?? {},
    copy: copyKeys('gender'),
    show: (ctx, v) =>
      [v.gender?.selfDescribed, v.gender?.pronouns, v.gender?.marker && `${ctx.t('field.marker')}: ${v.gender.marker} — ${ctx.t(v.gender.printMarker ? 'resident.markerPrinted' : 'resident.markerNotPrinted')}`]
        .filter(Boolean)
        .join(' · '),
  },
  {
    label: 'enrol.address',
    get: (v) => [v.address ?? null, v.addressConfidential ?? false],
    copy: copyKeys('address', 'addressConfidential'),
    show: (ctx, v) => {
      const a = v.address;
      const text = !a ? ctx.t('edit.noAddress') : 'line1' in a ? [a.line1, a.line2, a.postalCode, a.locality].filter(Boolean).join(', ') : [ctx.t('enrol.addressNfa'), a.careOf].filter(Boolean).join(' — ');
      return v.addressConfidential ? `${text} (${ctx.t('enrol.confidential')})` : text;
    },
  },
  { label: 'field.preferredLanguage', get: (v) => v.preferredLanguage, copy: copyKeys('preferredLanguage'), show: (_ctx, v) => (isLang(v.preferredLanguage) ? NATIVE_NAMES[v.preferredLanguage] : v.preferredLanguage) },
  { label: 'field.languages', get: (v) => v.languages, copy: copyKeys('languages'), show: (ctx, v) => formatList(ctx.lang, v.languages.map((l) => languageName(ctx.lang, l))) },
  { label: 'evidence.legend', get: (v) => v.evidence.map((e) => e.type).sort(), copy: copyKeys('evidence'), show: (ctx, v, rules) => formatList(ctx.lang, v.evidence.map((e) => documentLabel(rules.documents.find((d) => d.type === e.type)?.label, ctx.lang, e.type))) },
  { label: 'enrol.guardian', get: (v) => v.guardianPresent ?? false, copy: copyKeys('guardianPresent'), show: (ctx, v) => (v.guardianPresent ? ctx.t('common.yes') : '') },
];

const same = (p: Part, a: RecordValues, b: RecordValues) => canon(p.get(a)) === canon(p.get(b));

/** The merge patch from `base` to `next`: changed members only, `null` for a removed one. */
export function patchOf(base: RecordValues, next: RecordValues): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const names: Record<string, string | null> = {};
  for (const k of ['printed', 'legal', 'original', 'transliteration'] as const) if ((base.names[k] ?? '') !== (next.names[k] ?? '')) names[k] = next.names[k] ?? null;
  if (Object.keys(names).length) patch.names = names;
  if (base.birthDate !== next.birthDate) patch.birthDate = next.birthDate;
  if (canon(base.gender ?? {}) !== canon(next.gender ?? {})) {
    const g = next.gender;
    patch.gender = g ? { selfDescribed: g.selfDescribed ?? null, pronouns: g.pronouns ?? null, marker: g.marker ?? null, printMarker: g.printMarker === true } : null;
  }
  // An address is replaced whole (the server does not merge its members).
  if (canon(base.address ?? null) !== canon(next.address ?? null)) patch.address = next.address ?? null;
  if ((base.addressConfidential ?? false) !== (next.addressConfidential ?? false) && next.address) patch.addressConfidential = next.addressConfidential ?? false;
  if (base.preferredLanguage !== next.preferredLanguage) patch.preferredLanguage = next.preferredLanguage;
  if (canon(base.languages) !== canon(next.languages)) patch.languages = next.languages;
  if (canon(base.evidence.map((e) => e.type).sort()) !== canon(next.evidence.map((e) => e.type).sort())) patch.evidence = next.evidence;
  if ((base.guardianPresent ?? false) !== (next.guardianPresent ?? false)) patch.guardianPresent = next.guardianPresent ?? false;
  return patch;
}

/** What the card prints (src/modules/residents/resident-sealing.ts, cardSubject) that differs between two versions. */
export function printedChanges(before: ResidentRecord, after: ResidentRecord): Key[] {
  const marker = (r: ResidentRecord) => (r.gender.printMarker && r.gender.marker) || '';
  const out: Key[] = [];
  if (before.names.printed !== after.names.printed) out.push('field.printedName');
  if ((before.names.original ?? '') !== (after.names.original ?? '')) out.push('field.originalName');
  if (before.birthDate !== after.birthDate) out.push('field.birthDate');
  if (marker(before) !== marker(after)) out.push('field.marker');
  return out;
}

export const editView: View = async (root, ctx, raw) => {
  const { id } = raw as { id: string };
  const { t } = ctx;
  root.append(h('h1', {}, t('edit.title')));
  let rules: Rules;
  let base: Resident;
  try {
    [rules, base] = await Promise.all([ctx.api.request<Rules>('GET', '/v1/evidence-rules'), ctx.api.request<Resident>('GET', `/v1/residents/${id}`)]);
  } catch (err) {
    root.append(h('p', { class: 'error', role: 'alert' }, ctx.problem(err)));
    return;
  }
  const first = base;
  const record = recordForm(ctx, rules);
  record.fill(valuesOf(base));
  const conflict = h('div', {});
  const error = h('div', { role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('edit.submit'));
  const back = h('button', { type: 'button', onclick: () => ctx.show('resident', { id }) }, t('edit.back'));

  async function save() {
    error.replaceChildren();
    const patch = patchOf(valuesOf(base), record.values());
    if (Object.keys(patch).length === 0) {
      error.replaceChildren(h('p', { class: 'notice' }, t('edit.nothing')));
      return;
    }
    submit.disabled = true;
    try {
      const saved = await ctx.api.request<Resident>('PATCH', `/v1/residents/${id}`, { json: patch, headers: { 'if-match': `"${base.version}"` } });
      ctx.say(t('edit.saved'));
      const printed = printedChanges(first, saved);
      ctx.show('resident', { id, saved: true, ...(printed.length ? { printedChanged: printed } : {}) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) await showConflict();
      else {
        error.replaceChildren(h('p', { class: 'error' }, ctx.problem(err)));
        error.scrollIntoView({ block: 'center' });
      }
    } finally {
      submit.disabled = false;
    }
  }

  /** Someone saved first: their version and the clerk's, side by side, with a choice per difference. */
  async function showConflict() {
    const mine = record.values();
    let theirs: Resident;
    try {
      theirs = await ctx.api.request<Resident>('GET', `/v1/residents/${id}`);
    } catch (err) {
      error.replaceChildren(h('p', { class: 'error' }, ctx.problem(err)));
      return;
    }
    const before = valuesOf(base);
    const theirValues = valuesOf(theirs);
    const rows = PARTS.filter((p) => !same(p, theirValues, mine)).map((p, i) => {
      // What the clerk did not touch defaults to theirs; what they changed, to theirs only if they choose it.
      const changedByMe = !same(p, before, mine);
      const radio = (side: 'theirs' | 'yours') => h('input', { type: 'radio', name: `keep-${i}`, value: side, id: `keep-${i}-${side}`, checked: (side === 'yours') === changedByMe });
      const keepTheirs = radio('theirs');
      const keepYours = radio('yours');
      const label = t(p.label);
      const cell = (v: RecordValues) => h('td', { dir: 'auto' }, p.show(ctx, v, rules) || t('edit.empty'));
      return {
        part: p,
        keepTheirs,
        el: h(
          'tr',
          {},
          h('th', { scope: 'row' }, label),
          cell(theirValues),
          cell(mine),
          h(
            'td',
            {},
            h(
              'fieldset',
              { class: 'inline' },
              h('legend', { class: 'visually-hidden' }, t('edit.keepOf', { field: label })),
              h('div', { class: 'check' }, keepTheirs, h('label', { for: keepTheirs.id }, t('edit.keepTheirs'))),
              h('div', { class: 'check' }, keepYours, h('label', { for: keepYours.id }, t('edit.keepYours'))),
            ),
          ),
        ),
      };
    });
    base = theirs;
    conflict.replaceChildren(
      h(
        'section',
        { class: 'notice warn', 'aria-labelledby': 'conflict-h', id: 'conflict' },
        h('h2', { id: 'conflict-h' }, t('edit.conflictTitle')),
        h('p', {}, t('edit.conflictText')),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            {},
            h('caption', { class: 'visually-hidden' }, t('edit.conflictTitle')),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('edit.field')), h('th', { scope: 'col' }, t('edit.theirs')), h('th', { scope: 'col' }, t('edit.yours')), h('th', { scope: 'col' }, t('edit.choice')))),
            h('tbody', {}, ...rows.map((r) => r.el)),
          ),
        ),
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              onclick: () => {
                const chosen = structuredClone(mine);
                for (const r of rows) if (r.keepTheirs.checked) r.part.copy(chosen, theirValues);
                record.fill(chosen);
                conflict.replaceChildren();
                void save();
              },
            },
            t('edit.retry'),
          ),
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                record.fill(theirValues);
                conflict.replaceChildren();
              },
            },
            t('edit.dropMine'),
          ),
        ),
      ),
    );
    ctx.say(t('edit.conflictTitle'));
    conflict.scrollIntoView({ block: 'start' });
  }

  root.append(
    h(
      'form',
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void save();
        },
      },
      h('p', {}, t('edit.intro')),
      conflict,
      ...record.sections,
      error,
      h('div', { class: 'row' }, submit, back),
    ),
  );
};

/**
 * After a saved change to what the card prints: the offer to replace the
 * live card (POST /v1/cards/:number/replace, reason `details_changed`); the
 * new card comes with a claim code for a fresh receipt.
 */
export function replaceOffer(ctx: Ctx, card: { number: string }, fields: Key[], onReplaced: (newCard: { number: string; claimCode: string }) => void): HTMLElement {
  const { t } = ctx;
  const msg = h('p', { role: 'status' });
  const list = new Intl.ListFormat(ctx.lang, { type: 'conjunction' }).format(fields.map((f) => t(f)));
  const box = h(
    'section',
    { class: 'notice warn', 'aria-labelledby': 'replace-h', id: 'replace-offer' },
    h('h2', { id: 'replace-h' }, t('edit.replaceTitle')),
    h('p', {}, t('edit.replaceText', { number: card.number, fields: list })),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: async () => {
            try {
              const res = await ctx.api.request<{ newCard: { number: string; claimCode: string } }>('POST', `/v1/cards/${encodeURIComponent(card.number)}/replace`, { json: { reason: 'details_changed' } });
              ctx.say(t('edit.replaced', { number: card.number, newNumber: res.newCard.number }));
              onReplaced(res.newCard);
            } catch (err) {
              msg.textContent = ctx.problem(err);
            }
          },
        },
        t('edit.replace'),
      ),
      h('button', { type: 'button', onclick: () => box.remove() }, t('edit.replaceLater')),
    ),
    msg,
  );
  return box;
}
