/**
 * "New claim code": a fresh one-time code for a live card (POST
 * /v1/cards/:number/claim-code), for a resident who lost the receipt or forgot
 * their PIN. The previous code stops working, so the clerk confirms first; the
 * new code comes back as a receipt to print (receipt.ts).
 */
import { h } from '../shared/dom.js';
import type { Ctx } from './context.js';

export interface FreshCode {
  number: string;
  claimCode: string;
  portalUrl?: string;
}

export function claimCodeButton(ctx: Ctx, number: string, onCode: (code: FreshCode) => void, msg: HTMLElement): HTMLButtonElement {
  const { t } = ctx;
  return h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        if (!confirm(t('claim.confirm', { number }))) return;
        try {
          const res = await ctx.api.request<FreshCode>('POST', `/v1/cards/${encodeURIComponent(number)}/claim-code`);
          msg.textContent = t('claim.done');
          ctx.say(t('claim.done'));
          onCode(res);
        } catch (err) {
          msg.textContent = ctx.problem(err);
        }
      },
    },
    t('claim.new'),
  );
}
