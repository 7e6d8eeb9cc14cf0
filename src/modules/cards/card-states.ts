/**
 * The card's life, as one table: which action is allowed from which state,
 * and where it leads. Everything else is refused with 409 naming the state.
 *
 *   active ──suspend──▶ suspended ──reinstate──▶ active
 *   active|suspended ──revoke──▶ revoked            (reason kept)
 *   active|suspended ──replace──▶ revoked (+ a new card with a new number)
 *   active ──renew──▶ superseded (+ a new card), inside the renewal window
 *
 * Expiry is not a state: a card past its expiry day reports `expired`
 * wherever it is checked, with no job needing to run.
 */
export const CARD_STATES = ['active', 'suspended', 'revoked', 'superseded'] as const;
export type CardState = (typeof CARD_STATES)[number];

export const CARD_ACTIONS = ['renew', 'replace', 'suspend', 'reinstate', 'revoke'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

export const TRANSITIONS: Record<CardAction, Partial<Record<CardState, CardState>>> = {
  suspend: { active: 'suspended' },
  reinstate: { suspended: 'active' },
  revoke: { active: 'revoked', suspended: 'revoked' },
  replace: { active: 'revoked', suspended: 'revoked' },
  renew: { active: 'superseded' },
};

/** The state an action leads to from `from`, or undefined when it is not allowed. */
export function nextState(action: CardAction, from: CardState): CardState | undefined {
  return TRANSITIONS[action][from];
}

/** IETF Token Status List values (draft-ietf-oauth-status-list §7.1) for each state. */
export const STATUS_VALUE: Record<CardState, number> = {
  active: 0x00,
  suspended: 0x02,
  revoked: 0x01,
  superseded: 0x01,
};
