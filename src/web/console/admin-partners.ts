/**
 * Partner cities and the national trust list (src/modules/federation). A
 * partner is pinned by its root key's fingerprint, which the administrator
 * compares with the partner by another channel (phone, letter) before saving.
 */
import { field, h } from '../shared/dom.js';
import { formatInstant } from '../shared/i18n.js';
import type { View } from './context.js';
import type { Key } from './i18n.js';

interface Partner {
  id: string;
  name: string;
  country: string;
  recognised: boolean;
  state: string;
  rootFingerprint: string;
  lastSyncAt: string | null;
  lastError: string | null;
  keys: unknown[];
}

export const partnersView: View = async (root, ctx) => {
  const { t } = ctx;
  root.append(h('h1', {}, t('partners.title')), h('p', {}, t('partners.intro')));
  const msg = h('p', { role: 'status' });
  const list = h('div', { class: 'table-wrap' });

  const run = async (fn: () => Promise<string>) => {
    try {
      msg.textContent = await fn();
      ctx.say(msg.textContent);
      await load();
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  };

  async function load() {
    try {
      const { items } = await ctx.api.request<{ items: Partner[] }>('GET', '/v1/federation/partners');
      list.replaceChildren(
        items.length
          ? h(
              'table',
              {},
              h('caption', { class: 'visually-hidden' }, t('partners.title')),
              h('thead', {}, h('tr', {}, ...['partners.city', 'partners.state', 'partners.fingerprint', 'partners.lastSync', 'staff.actions'].map((k) => h('th', { scope: 'col' }, t(k as Key))))),
              h(
                'tbody',
                {},
                ...items.map((p) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, h('bdi', {}, p.name), h('div', { class: 'hint mono', dir: 'ltr' }, `${p.id} · ${p.country}`)),
                    h('td', {}, p.state, p.recognised ? '' : h('div', { class: 'hint' }, t('partners.notRecognised'))),
                    h('td', { class: 'mono', dir: 'ltr' }, p.rootFingerprint),
                    h('td', {}, p.lastSyncAt ? formatInstant(ctx.lang, p.lastSyncAt) : '—', p.lastError ? h('div', { class: 'error' }, p.lastError) : null),
                    h(
                      'td',
                      {},
                      h(
                        'div',
                        { class: 'row' },
                        h('button', { type: 'button', onclick: () => void run(async () => (await ctx.api.request('POST', `/v1/federation/partners/${p.id}/sync`), t('partners.synced', { name: p.name }))) }, t('partners.sync'), h('span', { class: 'visually-hidden' }, ` ${p.name}`)),
                        h(
                          'button',
                          {
                            type: 'button',
                            class: 'danger',
                            onclick: () => confirm(t('partners.confirmRemove', { name: p.name })) && void run(async () => (await ctx.api.request('DELETE', `/v1/federation/partners/${p.id}`), t('partners.removed', { name: p.name }))),
                          },
                          t('partners.remove'),
                          h('span', { class: 'visually-hidden' }, ` ${p.name}`),
                        ),
                      ),
                    ),
                  ),
                ),
              ),
            )
          : h('p', {}, t('partners.none')),
      );
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }

  const url = h('input', { type: 'url', placeholder: 'https://…/.well-known/lcc-issuer', autocomplete: 'off', dir: 'ltr' });
  const metadata = h('textarea', { rows: 3, spellcheck: 'false', dir: 'ltr' });
  const fingerprint = h('input', { type: 'text', required: true, pattern: '[A-Za-z0-9_\\-]{43}', autocomplete: 'off', spellcheck: 'false', dir: 'ltr', class: 'mono' });
  const register = h(
    'form',
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        const body = { fingerprint: fingerprint.value.trim(), ...(metadata.value.trim() ? { metadata: metadata.value.trim() } : { url: url.value.trim() }) };
        void run(async () => {
          const p = await ctx.api.request<Partner>('POST', '/v1/federation/partners', { json: body });
          return t('partners.registered', { name: p.name });
        });
      },
    },
    h('h2', {}, t('partners.add')),
    field(t('partners.url'), url, { hint: t('partners.urlHint') }),
    field(t('partners.metadata'), metadata, { optional: t('common.optional'), hint: t('partners.metadataHint') }),
    field(t('partners.fingerprint'), fingerprint, { hint: t('partners.fingerprintHint') }),
    h('button', { type: 'submit', class: 'primary' }, t('partners.register')),
  );

  const trustList = h('textarea', { rows: 4, required: true, spellcheck: 'false', dir: 'ltr' });
  const importForm = h(
    'form',
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        void run(async () => {
          const r = await ctx.api.request<{ country: string; added: number; updated: number; removed: number; unchanged: number; conflicts: string[] }>('POST', '/v1/federation/trust-list', { json: { trustList: trustList.value.trim() } });
          return t('partners.imported', { country: r.country, added: r.added, updated: r.updated, removed: r.removed, unchanged: r.unchanged, conflicts: r.conflicts.length });
        });
      },
    },
    h('h2', {}, t('partners.trustList')),
    field(t('partners.trustListText'), trustList, { hint: t('partners.trustListHint') }),
    h('button', { type: 'submit', class: 'primary' }, t('partners.import')),
  );

  root.append(msg, list, register, importForm);
  await load();
};
