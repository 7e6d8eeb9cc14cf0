/** The city's keys: rotate the signing key (the old one retires and still verifies its cards), revoke a compromised one. */
import { h } from '../shared/dom.js';
import { formatDate } from '../shared/i18n.js';
import type { View } from './context.js';
import type { Key } from './i18n.js';

interface KeyRow {
  kid: string;
  kind: string;
  status: string;
  notBefore: string;
  notAfter: string;
}

export const keysView: View = async (root, ctx) => {
  const { t } = ctx;
  root.append(h('h1', {}, t('keys.title')), h('p', {}, t('keys.intro')));
  const msg = h('p', { role: 'status' });
  const list = h('div', { class: 'table-wrap' });

  async function load() {
    try {
      const { items } = await ctx.api.request<{ items: KeyRow[] }>('GET', '/v1/keys');
      list.replaceChildren(
        h(
          'table',
          {},
          h('caption', { class: 'visually-hidden' }, t('keys.title')),
          h('thead', {}, h('tr', {}, ...['keys.kid', 'keys.kind', 'staff.state', 'keys.validity', 'staff.actions'].map((k) => h('th', { scope: 'col' }, t(k as Key))))),
          h(
            'tbody',
            {},
            ...items.map((k) =>
              h(
                'tr',
                {},
                h('td', { class: 'mono', dir: 'ltr', title: k.kid }, `${k.kid.slice(0, 12)}…`),
                h('td', {}, t(`keys.kind.${k.kind}` as Key)),
                h('td', {}, t(`keys.status.${k.status}` as Key)),
                h('td', {}, `${formatDate(ctx.lang, k.notBefore)} – ${formatDate(ctx.lang, k.notAfter)}`),
                h(
                  'td',
                  {},
                  k.kind === 'signing' && k.status !== 'revoked'
                    ? h('button', { type: 'button', class: 'danger', onclick: () => void revoke(k) }, t('keys.revokeSigning'), h('span', { class: 'visually-hidden' }, ` ${k.kid.slice(0, 12)}`))
                    : '',
                ),
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }

  async function revoke(k: KeyRow) {
    if (!confirm(t('keys.confirmRevokeSigning', { kid: k.kid.slice(0, 12) }))) return;
    try {
      await ctx.api.request('POST', `/v1/keys/${k.kid}/revoke`);
      msg.textContent = t('keys.revokedSigning');
      await load();
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }

  const rotate = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      onclick: async () => {
        if (!confirm(t('keys.confirmRotate'))) return;
        try {
          const k = await ctx.api.request<KeyRow>('POST', '/v1/keys/rotate');
          msg.textContent = t('keys.rotated', { kid: k.kid.slice(0, 12) });
          ctx.say(msg.textContent);
          await load();
        } catch (err) {
          msg.textContent = ctx.problem(err);
        }
      },
    },
    t('keys.rotate'),
  );
  root.append(h('div', { class: 'row' }, rotate), msg, list);
  await load();
};
