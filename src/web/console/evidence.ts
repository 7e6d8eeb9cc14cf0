/**
 * The documents-seen checklist. The clerk ticks the *type* of each document
 * (never its number); the city's points rule fills as they tick, so they see
 * before submitting whether the evidence suffices. The server re-checks.
 */
import { h } from '../shared/dom.js';
import type { Lang } from '../shared/i18n.js';
import type { T } from './i18n.js';

export interface EvidenceRules {
  version: string;
  requirements: { identityPoints: number; residencyPoints: number; photoDocument: boolean; birthDateDocumentWhenBirthDateGiven: boolean };
  documents: Array<{ type: string; identity: number; residency: number; carriesPhoto: boolean; carriesBirthDate: boolean; label: Record<string, string> }>;
}

export function evidenceChecklist(rules: EvidenceRules, t: T, lang: Lang, birthDateGiven: () => boolean) {
  const boxes = rules.documents.map((d) => {
    const box = h('input', { type: 'checkbox', name: 'evidence', value: d.type, id: `ev-${d.type}` });
    const points = [d.identity ? t('evidence.identityPoints', { n: d.identity }) : '', d.residency ? t('evidence.residencyPoints', { n: d.residency }) : '', d.carriesPhoto ? t('evidence.withPhoto') : '']
      .filter(Boolean)
      .join(' · ');
    return { doc: d, box, el: h('div', { class: 'check' }, box, h('label', { for: box.id }, d.label[lang] ?? d.label.en ?? d.type, h('span', { class: 'hint' }, ` — ${points}`))) };
  });
  const req = rules.requirements;
  const meters = h('div', { 'aria-live': 'polite' });

  function meter(label: string, have: number, need: number) {
    const id = `m-${label.length}-${need}-${Math.random().toString(36).slice(2, 7)}`;
    const ok = have >= need;
    return h(
      'div',
      { class: 'field' },
      h('span', { id, class: ok ? 'ok' : '' }, `${label}: ${t('evidence.progress', { have: Math.min(have, need), need, n: need })} ${ok ? '✓' : ''}`),
      h('meter', { min: 0, max: need, value: Math.min(have, need), low: need - 0.5, optimum: need, 'aria-labelledby': id }),
    );
  }

  function update() {
    const chosen = boxes.filter((b) => b.box.checked).map((b) => b.doc);
    const identity = chosen.reduce((s, d) => s + d.identity, 0);
    const residency = chosen.reduce((s, d) => s + d.residency, 0);
    const items = [meter(t('evidence.identity'), identity, req.identityPoints), meter(t('evidence.residency'), residency, req.residencyPoints)];
    if (req.photoDocument) {
      const ok = chosen.some((d) => d.carriesPhoto);
      items.push(h('p', { class: ok ? 'ok' : '' }, `${t('evidence.photoDocument')} ${ok ? '✓' : '—'}`));
    }
    if (req.birthDateDocumentWhenBirthDateGiven && birthDateGiven()) {
      const ok = chosen.some((d) => d.carriesBirthDate);
      items.push(h('p', { class: ok ? 'ok' : '' }, `${t('evidence.birthDateDocument')} ${ok ? '✓' : '—'}`));
    }
    meters.replaceChildren(...items);
    const met = identity >= req.identityPoints && residency >= req.residencyPoints && (!req.photoDocument || chosen.some((d) => d.carriesPhoto));
    meters.dataset.met = String(met);
  }

  for (const b of boxes) b.box.addEventListener('change', update);
  update();

  const element = h(
    'fieldset',
    {},
    h('legend', {}, t('evidence.legend')),
    h('p', { class: 'hint' }, t('evidence.intro')),
    ...boxes.map((b) => b.el),
    h('h2', { class: 'sub' }, t('evidence.rule')),
    meters,
  );
  /** Types on the record that the city's current rules no longer list: kept as they are, not silently dropped by an edit. */
  let kept: string[] = [];
  /** Ticks exactly these document types (a record being edited). */
  function set(types: string[]) {
    for (const b of boxes) b.box.checked = types.includes(b.doc.type);
    kept = types.filter((type) => !boxes.some((b) => b.doc.type === type));
    update();
  }
  const selected = () => [...boxes.filter((b) => b.box.checked).map((b) => b.doc.type), ...kept].map((type) => ({ type }));
  return { element, update, set, selected };
}
