/** The audit log, newest first, with filters, paging and the hash-chain check. */
import { field, h } from '../shared/dom.js';
import { formatInstant } from '../shared/i18n.js';
import type { T } from './i18n.js';
import type { View } from './context.js';
import { keysUnder, type Key } from './i18n.js';

interface Entry {
  seq: number;
  at: string;
  actorId: string | null;
  actorType: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
}

export const auditView: View = async (root, ctx) => {
  const { t } = ctx;
  root.append(h('h1', {}, t('audit.title')), h('p', {}, t('audit.intro')));
  const msg = h('p', { role: 'status' });
  const chain = h('div', { 'aria-live': 'polite' });
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true, onclick: () => void load(true) }, t('audit.older'));
  // Actions by their names in the clerk's language; the value sent is the action's id.
  const action = h('select', {}, h('option', { value: '' }, t('audit.allActions')), ...keysUnder('auditAction.').map((a) => [a, words(t, 'auditAction', a)] as const).sort((x, y) => x[1].localeCompare(y[1], ctx.lang)).map(([a, label]) => h('option', { value: a }, label)));
  const from = h('input', { type: 'date' });
  const to = h('input', { type: 'date' });
  let next: number | null = null;

  async function load(older: boolean) {
    const q = new URLSearchParams({ limit: '50' });
    if (action.value) q.set('action', action.value);
    if (from.value) q.set('from', new Date(`${from.value}T00:00:00`).toISOString());
    if (to.value) q.set('to', new Date(`${to.value}T23:59:59`).toISOString());
    if (older && next) q.set('before', String(next));
    try {
      const res = await ctx.api.request<{ items: Entry[]; next: number | null }>('GET', `/v1/audit?${q}`);
      if (!older) body.replaceChildren();
      for (const e of res.items) {
        body.append(
          h(
            'tr',
            {},
            h('td', {}, String(e.seq)),
            h('td', {}, formatInstant(ctx.lang, e.at)),
            h('td', {}, words(t, 'auditActor', e.actorType), e.actorId ? h('div', { class: 'hint mono', dir: 'ltr' }, e.actorId.slice(0, 8)) : null),
            h('td', {}, words(t, 'auditAction', e.action)),
            h('td', {}, e.targetType ? words(t, 'auditTarget', e.targetType) : '', e.targetId ? h('div', { class: 'hint mono', dir: 'ltr' }, e.targetId.slice(0, 8)) : null),
            h('td', {}, words(t, 'auditOutcome', e.outcome)),
          ),
        );
      }
      next = res.next;
      more.hidden = next === null;
      msg.textContent = older ? '' : t('audit.count', { n: res.items.length });
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }

  const check = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      onclick: async () => {
        chain.replaceChildren(h('p', {}, t('audit.checking')));
        try {
          const r = await ctx.api.request<{ ok: boolean; checked: number; lastSeq: number; firstBroken?: { seq: number; reason: string } }>('GET', '/v1/audit/verify');
          chain.replaceChildren(
            r.ok
              ? h('p', { class: 'notice ok' }, t('audit.chainOk', { n: r.checked, last: r.lastSeq }))
              : h('p', { class: 'notice bad' }, t('audit.chainBroken', { seq: r.firstBroken?.seq ?? '?', reason: r.firstBroken?.reason ?? '' })),
          );
        } catch (err) {
          chain.replaceChildren(h('p', { class: 'error' }, ctx.problem(err)));
        }
      },
    },
    t('audit.check'),
  );

  root.append(
    h('div', { class: 'row' }, check),
    chain,
    h(
      'form',
      { onsubmit: (e: Event) => (e.preventDefault(), void load(false)) },
      h('div', { class: 'grid2' }, field(t('audit.action'), action, { optional: t('common.optional'), hint: t('audit.actionHint') }), field(t('audit.from'), from, { optional: t('common.optional') }), field(t('audit.to'), to, { optional: t('common.optional') })),
      h('button', { type: 'submit' }, t('audit.filter')),
    ),
    msg,
    h(
      'div',
      { class: 'table-wrap' },
      h('table', {}, h('caption', { class: 'visually-hidden' }, t('audit.title')), h('thead', {}, h('tr', {}, ...['audit.seq', 'audit.at', 'audit.actor', 'audit.action', 'audit.target', 'audit.outcome'].map((k) => h('th', { scope: 'col' }, t(k as Key))))), body),
    ),
    more,
  );
  await load(false);
};


/** An audit id in words; one the console does not know yet (a newer server) reads as its id rather than nothing. */
function words(t: T, group: 'auditAction' | 'auditActor' | 'auditTarget' | 'auditOutcome', id: string): string {
  // A staff member acts in their role: the same words as the staff screen's.
  const key = (group === 'auditActor' && t(`role.${id}` as Key) !== `role.${id}` ? `role.${id}` : `${group}.${id}`) as Key;
  const text = t(key);
  return text === key ? id : text;
}
