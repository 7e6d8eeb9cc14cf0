/**
 * Enrolment: every field of the resident record (DESIGN.md "The resident
 * record"). Only the printed name and the preferred language are required;
 * everything else says "optional", and the gender and address choices explain
 * what is (not) printed. Photo and card come next, on the resident's view.
 */
import { field, h } from '../shared/dom.js';
import { LANGS, NATIVE_NAMES } from '../shared/i18n.js';
import type { ResidentRecord } from '../shared/resident.js';
import type { Ctx, View } from './context.js';
import { evidenceChecklist, type EvidenceRules } from './evidence.js';
import { spokenLanguages } from './languages.js';

export type Rules = EvidenceRules & { genderMarkers?: string[] };

/** What the form holds: the enrolment request (DESIGN.md), empty fields left out. */
export interface RecordValues {
  names: { printed: string; legal?: string; original?: string; transliteration?: string };
  birthDate: string | null;
  gender?: { selfDescribed?: string; pronouns?: string; marker?: string; printMarker?: true };
  address?: { line1: string; line2?: string; postalCode?: string; locality: string } | { noFixedAddress: true; careOf?: string };
  addressConfidential?: true;
  preferredLanguage: string;
  languages: string[];
  evidence: Array<{ type: string }>;
  guardianPresent?: true;
}

/** A record as the form would hold it, so a form left untouched equals what was read. */
export function valuesOf(r: ResidentRecord): RecordValues {
  const g = { selfDescribed: r.gender.selfDescribed, pronouns: r.gender.pronouns, marker: r.gender.marker, printMarker: r.gender.printMarker ? (true as const) : undefined };
  const a = r.address;
  return {
    names: { ...r.names },
    birthDate: r.birthDate,
    ...(Object.values(g).some((v) => v !== undefined) ? { gender: g } : {}),
    ...(a && 'line1' in a ? { address: { line1: a.line1, line2: a.line2, postalCode: a.postalCode, locality: a.locality } } : {}),
    ...(a && !('line1' in a) ? { address: { noFixedAddress: true as const, careOf: a.careOf } } : {}),
    ...(a && r.addressConfidential ? { addressConfidential: true as const } : {}),
    preferredLanguage: r.preferredLanguage,
    languages: [...r.languages],
    evidence: r.evidence.items.map((e) => ({ type: e.type })),
    ...(r.guardianPresent ? { guardianPresent: true as const } : {}),
  };
}

const text = (attrs: Record<string, string | boolean> = {}) => h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs });
const val = (i: HTMLInputElement | HTMLSelectElement) => i.value.trim() || undefined;

export const enrolView: View = async (root, ctx) => {
  const { t } = ctx;
  root.append(h('h1', {}, t('enrol.title')));
  let rules: Rules;
  try {
    rules = await ctx.api.request<Rules>('GET', '/v1/evidence-rules');
  } catch (err) {
    root.append(h('p', { class: 'error', role: 'alert' }, ctx.problem(err)));
    return;
  }
  const record = recordForm(ctx, rules);
  const error = h('div', { role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('enrol.submit'));
  const form = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.replaceChildren();
        submit.disabled = true;
        try {
          const res = await ctx.api.request<{ resident: { id: string }; possibleDuplicates: unknown[] }>('POST', '/v1/residents', { json: record.values() });
          ctx.say(t('enrol.done'));
          ctx.show('resident', { id: res.resident.id, duplicates: res.possibleDuplicates, fresh: true });
        } catch (err) {
          error.replaceChildren(h('p', { class: 'error' }, ctx.problem(err)));
          error.scrollIntoView({ block: 'center' });
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('p', {}, t('enrol.intro')),
    ...record.sections,
    error,
    h('div', { class: 'row' }, submit),
  );
  root.append(form);
};

/**
 * The record's fields with enrolment's checks (required, patterns, the
 * evidence rule as it fills), shared by enrolment and the edit form.
 */
export function recordForm(ctx: Ctx, rules: Rules): { sections: HTMLElement[]; values(): RecordValues; fill(v: RecordValues): void } {
  const { t } = ctx;
  const opt = { optional: t('common.optional') };

  // Names
  const printed = text({ name: 'printed', required: true, dir: 'auto' });
  const legal = text({ name: 'legal', dir: 'auto' });
  const original = text({ name: 'original', dir: 'auto' });
  const translit = text({ name: 'transliteration', dir: 'ltr', lang: 'en' });
  const names = h(
    'fieldset',
    {},
    h('legend', {}, t('enrol.names')),
    field(t('field.printedName'), printed, { hint: t('enrol.printedHint') }),
    field(t('field.legalName'), legal, { ...opt, hint: t('enrol.legalHint') }),
    h('div', { class: 'grid2' }, field(t('field.originalName'), original, { ...opt, hint: t('enrol.originalHint') }), field(t('field.transliteration'), translit, { ...opt, hint: t('enrol.transliterationHint') })),
  );

  // Birth date
  const birth = text({ name: 'birthDate', inputmode: 'numeric', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', placeholder: 'YYYY-MM-DD' });
  const guardian = h('input', { type: 'checkbox', name: 'guardianPresent', id: 'guardian' });
  const birthSet = h(
    'fieldset',
    {},
    h('legend', {}, t('field.birthDate')),
    field(t('field.birthDate'), birth, { ...opt, hint: t('enrol.birthDateHint') }),
    h('div', { class: 'check' }, guardian, h('label', { for: 'guardian' }, t('enrol.guardian'))),
  );

  // Gender: all optional, the marker printed only on request.
  const selfDescribed = text({ name: 'selfDescribed', dir: 'auto' });
  const pronouns = text({ name: 'pronouns', dir: 'auto' });
  const marker = h('select', { name: 'marker' }, h('option', { value: '' }, t('enrol.noMarker')), ...(rules.genderMarkers ?? ['F', 'M', 'X']).map((m) => h('option', { value: m }, m)));
  const printMarker = h('input', { type: 'checkbox', name: 'printMarker', id: 'print-marker', disabled: true, 'aria-describedby': 'print-marker-hint' });
  marker.addEventListener('change', () => {
    printMarker.disabled = !marker.value;
    if (!marker.value) printMarker.checked = false;
  });
  const gender = h(
    'fieldset',
    {},
    h('legend', {}, t('enrol.gender')),
    h('p', { class: 'notice' }, t('enrol.genderIntro')),
    h('div', { class: 'grid2' }, field(t('field.selfDescribed'), selfDescribed, opt), field(t('field.pronouns'), pronouns, opt)),
    field(t('field.marker'), marker, opt),
    h('div', { class: 'check' }, printMarker, h('label', { for: 'print-marker' }, t('enrol.printMarker'))),
    h('p', { class: 'hint', id: 'print-marker-hint' }, t('enrol.printMarkerHint')),
  );

  // Address: none, an address, or no fixed address with a care-of organisation.
  const kind = (v: string, checked = false) => h('input', { type: 'radio', name: 'addressKind', value: v, id: `addr-${v}`, checked });
  const kinds = [kind('none', true), kind('address'), kind('nfa')];
  const line1 = text({ name: 'line1', autocomplete: 'off' });
  const line2 = text({ name: 'line2' });
  const postal = text({ name: 'postalCode' });
  const locality = text({ name: 'locality' });
  const careOf = text({ name: 'careOf', dir: 'auto' });
  const confidential = h('input', { type: 'checkbox', id: 'addr-conf', name: 'addressConfidential', 'aria-describedby': 'addr-conf-hint' });
  const addrFields = h('div', { hidden: true }, field(t('field.line1'), line1), field(t('field.line2'), line2, opt), h('div', { class: 'grid2' }, field(t('field.postalCode'), postal, opt), field(t('field.locality'), locality)));
  const nfaFields = h('div', { hidden: true }, field(t('field.careOf'), careOf, { ...opt, hint: t('enrol.careOfHint') }));
  const confBox = h('div', { hidden: true }, h('div', { class: 'check' }, confidential, h('label', { for: 'addr-conf' }, t('enrol.confidential'))), h('p', { class: 'hint', id: 'addr-conf-hint' }, t('enrol.confidentialHint')));
  const chosenKind = () => kinds.find((k) => k.checked)?.value ?? 'none';
  const syncAddress = () => {
    const k = chosenKind();
    addrFields.hidden = k !== 'address';
    nfaFields.hidden = k !== 'nfa';
    confBox.hidden = k === 'none';
    line1.required = locality.required = k === 'address';
  };
  for (const k of kinds) k.addEventListener('change', syncAddress);
  const labels = { none: t('enrol.addressNone'), address: t('enrol.addressGiven'), nfa: t('enrol.addressNfa') } as Record<string, string>;
  const address = h(
    'fieldset',
    {},
    h('legend', {}, t('enrol.address'), h('span', { class: 'opt' }, ` (${t('common.optional')})`)),
    h('p', { class: 'hint' }, t('enrol.addressIntro')),
    ...kinds.map((k) => h('div', { class: 'check' }, k, h('label', { for: k.id }, labels[k.value]!))),
    addrFields,
    nfaFields,
    confBox,
  );

  // Languages
  const preferred = h('select', { name: 'preferredLanguage', required: true }, ...LANGS.map((l) => h('option', { value: l, lang: l, ...(l === ctx.lang ? { selected: true } : {}) }, NATIVE_NAMES[l])));
  const spoken = spokenLanguages(t, ctx.lang);
  const languages = h('fieldset', {}, h('legend', {}, t('enrol.languages')), field(t('field.preferredLanguage'), preferred, { hint: t('enrol.preferredHint') }), spoken.element);

  const evidence = evidenceChecklist(rules, t, ctx.lang, () => birth.value.trim() !== '');
  birth.addEventListener('input', () => evidence.update());

  function body(): RecordValues {
    const k = chosenKind();
    const g = { selfDescribed: val(selfDescribed), pronouns: val(pronouns), marker: val(marker), printMarker: printMarker.checked ? (true as const) : undefined };
    const hasGender = Object.values(g).some((v) => v !== undefined);
    return {
      names: { printed: printed.value.trim(), legal: val(legal), original: val(original), transliteration: val(translit) },
      birthDate: val(birth) ?? null,
      ...(hasGender ? { gender: g } : {}),
      ...(k === 'address' ? { address: { line1: line1.value.trim(), line2: val(line2), postalCode: val(postal), locality: locality.value.trim() } } : {}),
      ...(k === 'nfa' ? { address: { noFixedAddress: true as const, careOf: val(careOf) } } : {}),
      ...(k !== 'none' && confidential.checked ? { addressConfidential: true as const } : {}),
      preferredLanguage: preferred.value,
      languages: spoken.selected(),
      evidence: evidence.selected(),
      ...(guardian.checked ? { guardianPresent: true as const } : {}),
    };
  }

  /** Puts values in the fields (the record to edit, or the versions a clerk chose after a conflict). */
  function fill(v: RecordValues) {
    printed.value = v.names.printed;
    legal.value = v.names.legal ?? '';
    original.value = v.names.original ?? '';
    translit.value = v.names.transliteration ?? '';
    birth.value = v.birthDate ?? '';
    guardian.checked = v.guardianPresent === true;
    selfDescribed.value = v.gender?.selfDescribed ?? '';
    pronouns.value = v.gender?.pronouns ?? '';
    if (v.gender?.marker && !Array.from(marker.options).some((o) => o.value === v.gender!.marker)) marker.append(h('option', { value: v.gender.marker }, v.gender.marker));
    marker.value = v.gender?.marker ?? '';
    printMarker.disabled = !marker.value;
    printMarker.checked = !!marker.value && v.gender?.printMarker === true;
    const a = v.address;
    for (const k of kinds) k.checked = k.value === (!a ? 'none' : 'line1' in a ? 'address' : 'nfa');
    line1.value = a && 'line1' in a ? a.line1 : '';
    line2.value = (a && 'line1' in a && a.line2) || '';
    postal.value = (a && 'line1' in a && a.postalCode) || '';
    locality.value = a && 'line1' in a ? a.locality : '';
    careOf.value = (a && 'noFixedAddress' in a && a.careOf) || '';
    confidential.checked = !!a && v.addressConfidential === true;
    syncAddress();
    preferred.value = v.preferredLanguage;
    spoken.set(v.languages);
    evidence.set(v.evidence.map((e) => e.type));
  }

  syncAddress();
  return { sections: [names, birthSet, gender, address, languages, evidence.element], values: body, fill };
}
