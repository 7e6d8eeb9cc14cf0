/** Service keys for partner services: the profile decides what a check shows; the secret is shown once. */
import { field, h } from '../shared/dom.js';
import { formatDate } from '../shared/i18n.js';
import { PROFILES } from './admin-staff.js';
import type { View } from './context.js';
import type { Key } from './i18n.js';
import { benefitsTranslator } from './admin-benefits-strings.js';
import { organisationSelect, partnersOrNone } from './admin-benefits.js';

interface ServiceKey {
  id: string;
  name: string;
  profile: string;
  partnerId: string | null;
  prefix: string;
  revoked: boolean;
  createdAt: string;
}

export const serviceKeysView: View = async (root, ctx) => {
  const { t } = ctx;
  root.append(h('h1', {}, t('keys.serviceTitle')), h('p', {}, t('keys.serviceIntro')));
  const msg = h('p', { role: 'status' });
  const secretBox = h('div', { 'aria-live': 'polite' });
  const list = h('div', { class: 'table-wrap' });
  // A partner's counters redeem its limited offers with its service key (src/modules/benefits/README.md).
  const b = benefitsTranslator(ctx.lang);
  const partners = await partnersOrNone(ctx);
  const orgName = (id: string | null) => (id ? (partners.find((p) => p.id === id)?.name ?? '—') : '—');

  async function load() {
    try {
      const { items } = await ctx.api.request<{ items: ServiceKey[] }>('GET', '/v1/service-keys');
      list.replaceChildren(
        items.length
          ? h(
              'table',
              {},
              h('caption', { class: 'visually-hidden' }, t('keys.serviceTitle')),
              h('thead', {}, h('tr', {}, ...['keys.name', 'keys.profile', 'organisation', 'keys.prefix', 'staff.state', 'staff.actions'].map((k) => h('th', { scope: 'col' }, k === 'organisation' ? b('organisation') : t(k as Key))))),
              h(
                'tbody',
                {},
                ...items.map((k) =>
                  h(
                    'tr',
                    {},
                    h('td', { dir: 'auto' }, k.name),
                    h('td', {}, t(`profile.${k.profile}` as Key)),
                    h('td', { class: 'organisation' }, h('bdi', {}, orgName(k.partnerId))),
                    h('td', { class: 'mono', dir: 'ltr' }, k.prefix),
                    h('td', {}, k.revoked ? t('keys.revoked') : `${t('keys.active')} (${formatDate(ctx.lang, k.createdAt)})`),
                    h('td', {}, k.revoked ? '' : h('button', { type: 'button', class: 'danger', onclick: () => void revoke(k) }, t('keys.revoke'), h('span', { class: 'visually-hidden' }, ` ${k.name}`))),
                  ),
                ),
              ),
            )
          : h('p', {}, t('keys.none')),
      );
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }

  async function revoke(k: ServiceKey) {
    if (!confirm(t('keys.confirmRevokeService', { name: k.name }))) return;
    try {
      await ctx.api.request('DELETE', `/v1/service-keys/${k.id}`);
      msg.textContent = t('keys.revokedOne', { name: k.name });
      await load();
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }

  const name = h('input', { type: 'text', required: true, maxlength: 100, autocomplete: 'off' });
  const profile = h('select', {}, ...PROFILES.map((p) => h('option', { value: p }, t(`profile.${p}` as Key))));
  const organisation = organisationSelect(ctx, partners, null, 'new-key-organisation');
  const form = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          const k = await ctx.api.request<ServiceKey & { secret: string }>('POST', '/v1/service-keys', { json: { name: name.value.trim(), profile: profile.value, ...(organisation.value ? { partnerId: organisation.value } : {}) } });
          const secretId = 'new-secret';
          const secret = h('input', { type: 'text', readonly: true, id: secretId, value: k.secret, class: 'mono', dir: 'ltr' });
          secretBox.replaceChildren(
            h(
              'div',
              { class: 'notice warn' },
              h('p', {}, h('strong', {}, t('keys.secretOnce'))),
              field(t('keys.secret'), secret),
              h('button', { type: 'button', onclick: () => void navigator.clipboard?.writeText(k.secret).then(() => ctx.say(t('keys.copied'))) }, t('keys.copy')),
            ),
          );
          secret.select();
          name.value = '';
          await load();
        } catch (err) {
          msg.textContent = ctx.problem(err);
        }
      },
    },
    h('h2', {}, t('keys.newService')),
    h('div', { class: 'grid2' }, field(t('keys.name'), name, { hint: t('keys.nameHint') }), field(t('keys.profile'), profile, { hint: t('staff.profileHint') })),
    field(b('organisation'), organisation, { hint: b('organisationHint') }),
    h('button', { type: 'submit', class: 'primary' }, t('keys.create')),
  );
  root.append(msg, secretBox, list, form);
  await load();
};
