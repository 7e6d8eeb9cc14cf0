/** Staff accounts: create, change role or profile, disable and enable, reset a password (one-time by default). */
import { field, h } from '../shared/dom.js';
import { formatDate } from '../shared/i18n.js';
import type { View } from './context.js';
import type { Key } from './i18n.js';
import { benefitsTranslator } from './admin-benefits-strings.js';
import { organisationSelect, partnersOrNone } from './admin-benefits.js';

interface Staff {
  id: string;
  username: string;
  role: string;
  profile: string | null;
  partnerId: string | null;
  disabled: boolean;
  passwordChangeRequired?: boolean;
  createdAt: string;
}

export const ROLES = ['admin', 'clerk', 'official', 'partner_service', 'organiser', 'door'] as const;
export const PROFILES = ['name_and_photo', 'name_photo_birthdate', 'residency_only'] as const;

export const staffView: View = async (root, ctx) => {
  const { t } = ctx;
  root.append(h('h1', {}, t('staff.title')));
  const msg = h('p', { role: 'status' });
  const list = h('div', { class: 'table-wrap' });
  // A partner_service account belongs to one partner organisation (issue 16): it sees and redeems that organisation's offers.
  const b = benefitsTranslator(ctx.lang);
  const partners = await partnersOrNone(ctx);

  const roleSelect = (value: string, id: string) => h('select', { id }, ...ROLES.map((r) => h('option', { value: r, ...(r === value ? { selected: true } : {}) }, t(`role.${r}` as Key))));
  const profileSelect = (value: string | null, id: string) => h('select', { id }, ...PROFILES.map((p) => h('option', { value: p, ...(p === value ? { selected: true } : {}) }, t(`profile.${p}` as Key))));

  async function load() {
    try {
      const { items } = await ctx.api.request<{ items: Staff[] }>('GET', '/v1/staff');
      list.replaceChildren(
        h(
          'table',
          {},
          h('caption', { class: 'visually-hidden' }, t('staff.title')),
          h('thead', {}, h('tr', {}, ...['staff.username', 'staff.role', 'staff.state', 'staff.createdAt', 'staff.actions'].map((k) => h('th', { scope: 'col' }, t(k as Key))))),
          h('tbody', {}, ...items.map(row)),
        ),
      );
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }

  async function patch(s: Staff, body: Record<string, unknown>, done = t('staff.saved', { name: s.username })) {
    try {
      await ctx.api.request('PATCH', `/v1/staff/${s.id}`, { json: body });
      ctx.say(done);
      msg.textContent = done;
      await load();
    } catch (err) {
      msg.textContent = ctx.problem(err);
    }
  }

  function row(s: Staff) {
    const role = roleSelect(s.role, `role-${s.id}`);
    const profile = profileSelect(s.profile, `profile-${s.id}`);
    const org = organisationSelect(ctx, partners, s.partnerId, `org-${s.id}`);
    const profileWrap = h('span', { hidden: s.role !== 'partner_service' }, h('label', { for: profile.id, class: 'visually-hidden' }, t('staff.profileOf', { name: s.username })), profile, h('label', { for: org.id, class: 'visually-hidden' }, `${b('organisation')} — ${s.username}`), org);
    role.addEventListener('change', () => (profileWrap.hidden = role.value !== 'partner_service'));
    const { form: reset, toggle: resetToggle } = resetForm(s);
    return h(
      'tr',
      {},
      h('td', {}, s.username),
      h('td', {}, h('label', { for: role.id, class: 'visually-hidden' }, t('staff.roleOf', { name: s.username })), role, profileWrap),
      h('td', {}, s.disabled ? t('staff.disabled') : t('staff.enabled'), s.passwordChangeRequired ? h('span', { class: 'hint' }, ` — ${t('staff.mustChange')}`) : null),
      h('td', {}, formatDate(ctx.lang, s.createdAt)),
      h(
        'td',
        {},
        h('div', { class: 'row' },
          h('button', { type: 'button', onclick: () => void patch(s, { role: role.value, ...(role.value === 'partner_service' ? { profile: profile.value, partnerId: org.value || null } : {}) }) }, t('staff.saveRole'), h('span', { class: 'visually-hidden' }, ` ${s.username}`)),
          h('button', { type: 'button', class: s.disabled ? '' : 'danger', onclick: () => void patch(s, { disabled: !s.disabled }) }, t(s.disabled ? 'staff.enable' : 'staff.disable'), h('span', { class: 'visually-hidden' }, ` ${s.username}`)),
          resetToggle,
        ),
        reset,
      ),
    );
  }

  /** A new password for someone who forgot theirs: one-time unless the admin says otherwise, their sessions end. */
  function resetForm(s: Staff) {
    const pass = h('input', { type: 'password', id: `reset-${s.id}`, autocomplete: 'new-password', required: true, minlength: 12, maxlength: 256 });
    const oneTime = h('input', { type: 'checkbox', id: `reset-once-${s.id}`, checked: true });
    const form = h(
      'form',
      {
        hidden: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          void patch(s, { password: pass.value, mustChangePassword: oneTime.checked }, t('staff.resetDone', { name: s.username }));
        },
      },
      field(t('staff.resetOf', { name: s.username }), pass, { hint: t('staff.passwordHint') }),
      h('div', { class: 'check' }, oneTime, h('label', { for: oneTime.id }, t('staff.oneTime'))),
      h('button', { type: 'submit' }, t('staff.resetSubmit')),
    );
    const toggle = h(
      'button',
      {
        type: 'button',
        'aria-expanded': 'false',
        onclick: () => {
          form.hidden = !form.hidden;
          toggle.setAttribute('aria-expanded', String(!form.hidden));
          if (!form.hidden) pass.focus();
        },
      },
      t('staff.reset'),
      h('span', { class: 'visually-hidden' }, ` ${s.username}`),
    );
    return { form, toggle };
  }

  const username = h('input', { type: 'text', name: 'new-username', autocomplete: 'off', required: true, minlength: 3, pattern: '[A-Za-z0-9._@\\-]+' });
  const password = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', required: true, minlength: 12 });
  const oneTime = h('input', { type: 'checkbox', id: 'new-once', checked: true });
  const role = roleSelect('clerk', 'new-role');
  const profile = profileSelect('name_and_photo', 'new-profile');
  const profileField = field(t('staff.profile'), profile, { hint: t('staff.profileHint') });
  profileField.hidden = true;
  const organisation = organisationSelect(ctx, partners, null, 'new-organisation');
  const organisationField = field(b('organisation'), organisation, { hint: b('organisationHint') });
  organisationField.hidden = true;
  role.addEventListener('change', () => (profileField.hidden = organisationField.hidden = role.value !== 'partner_service'));
  const form = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          await ctx.api.request('POST', '/v1/staff', { json: { username: username.value.trim(), password: password.value, role: role.value, mustChangePassword: oneTime.checked, ...(role.value === 'partner_service' ? { profile: profile.value, ...(organisation.value ? { partnerId: organisation.value } : {}) } : {}) } });
          msg.textContent = t('staff.created', { name: username.value.trim() });
          ctx.say(msg.textContent);
          username.value = password.value = '';
          await load();
        } catch (err) {
          msg.textContent = ctx.problem(err);
        }
      },
    },
    h('h2', {}, t('staff.new')),
    h('div', { class: 'grid2' }, field(t('staff.username'), username, { hint: t('staff.usernameHint') }), field(t('staff.password'), password, { hint: t('staff.passwordHint') })),
    h('div', { class: 'check' }, oneTime, h('label', { for: oneTime.id }, t('staff.oneTime'))),
    h('div', { class: 'grid2' }, field(t('staff.role'), role), profileField),
    organisationField,
    h('button', { type: 'submit', class: 'primary' }, t('staff.create')),
  );
  root.append(msg, list, form);
  await load();
};
