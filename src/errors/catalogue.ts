/**
 * The one catalogue of problem codes (RFC 9457). Each code is stable: clients
 * switch on it; its HTTP status is fixed here and nowhere else; its title is
 * translated from locales/<lang>/errors.json under the same key.
 * The `type` member of a problem is `urn:lcc:problem:<code>`.
 */
export const PROBLEMS = {
  // generic HTTP
  'validation-failed': 400,
  'malformed-json': 400,
  'route-not-found': 404,
  'method-not-allowed': 405,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  'internal-error': 500,
  'service-unavailable': 503,
  // authentication and authorisation
  'unauthenticated': 401,
  'invalid-credentials': 401,
  'token-invalid': 401,
  'account-disabled': 401,
  'account-locked': 429,
  'service-key-invalid': 401,
  'forbidden': 403,
  /** Changing one's own password: the current one given is not right (the bearer is valid, so not 401). */
  'current-password-wrong': 403,
  /** The new password is the current one. */
  'password-unchanged': 422,
  // staff and keys
  'staff-not-found': 404,
  'username-taken': 409,
  'service-key-not-found': 404,
  // keys
  'key-not-found': 404,
  'key-already-revoked': 409,
  // residents
  'resident-not-found': 404,
  'evidence-insufficient': 422,
  'guardian-required': 422,
  'name-too-long-for-card': 422,
  'photo-type-invalid': 415,
  'photo-dimensions-invalid': 400,
  'photo-not-found': 404,
  // cards
  'card-number-invalid': 400,
  'card-not-found': 404,
  'card-already-active': 409,
  'photo-required': 409,
  'card-state-conflict': 409,
  'card-not-renewable': 409,
  /** The card's holder was erased: only its revoked slot remains. */
  'card-erased': 410,
  // resident portal
  'claim-invalid': 401,
  'pin-too-simple': 400,
  'card-not-valid': 409,
  'confirmation-required': 400,
  // federation
  'partner-metadata-malformed': 400,
  'partner-signature-invalid': 422,
  'partner-fingerprint-mismatch': 422,
  'partner-certificate-invalid': 422,
  'partner-issuer-mismatch': 422,
  'partner-metadata-expired': 422,
  'partner-metadata-stale': 409,
  'partner-fetch-failed': 502,
  'partner-status-list-invalid': 422,
  'partner-not-found': 404,
  'partner-is-self': 422,
  'partner-root-conflict': 409,
  'trust-anchor-missing': 409,
  'trust-list-malformed': 400,
  'trust-list-signature-invalid': 422,
  'trust-list-expired': 422,
  /** Its `iat` is beyond the clock plus a small skew: accepted, it would make every real list look stale. */
  'trust-list-not-yet-valid': 422,
  'trust-list-country-mismatch': 422,
  'trust-list-stale': 409,
  // the world directory of national trust lists (DIRECTORY_ANCHOR_JWK)
  'directory-malformed': 400,
  'directory-signature-invalid': 422,
  'directory-expired': 422,
  /** Dated beyond the clock plus a small skew, as for trust lists. */
  'directory-not-yet-valid': 422,
  'directory-stale': 409,
  // Welcoming Week events
  'event-not-found': 404,
  'edition-not-found': 404,
  'space-not-found': 404,
  'milestone-not-found': 404,
  'event-dates-invalid': 400,
  'time-zone-unknown': 400,
  'language-unknown': 400,
  'event-draw-invalid': 400,
  'rsvp-closed': 409,
  'rsvp-not-found': 404,
  'draw-not-due': 409,
  'draw-already-done': 409,
  'ticket-invalid': 422,
  'already-admitted': 409,
  'door-code-invalid': 401,
  // enrolment appointments
  'site-not-found': 404,
  'appointment-date-past': 422,
  'slot-not-released': 409,
  'slot-not-offered': 422,
  'slot-full': 409,
  'appointment-not-found': 404,
  'appointment-locked': 429,
  'appointment-not-today': 409,
  'appointment-already-checked-in': 409,
  'booking-places-exceeded': 422,
  'booking-right-not-found': 404,
  'reminders-unavailable': 422,
  'draw-in-progress': 409,
  'appointment-not-confirmed': 409,
  // benefits (src/modules/benefits)
  'organisation-not-found': 404,
  'offer-not-found': 404,
  'offer-age-range-invalid': 400,
  'offer-dates-invalid': 400,
  'offer-not-yours': 403,
  'offer-not-available': 409,
  'offer-not-eligible': 422,
  'offer-already-redeemed': 409,
  'redemption-card-invalid': 422,
  'redemption-needs-service-key': 403,
  // concurrency
  'precondition-failed': 412,
  'precondition-required': 428,
  'conflict': 409,
} as const satisfies Record<string, number>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_TYPE_PREFIX = 'urn:lcc:problem:';

export function problemType(code: ProblemCode): string {
  return PROBLEM_TYPE_PREFIX + code;
}
