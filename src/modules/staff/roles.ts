/** Staff roles and partner disclosure profiles (DESIGN.md "Who uses it"). */
/** `organiser` plans Welcoming Week and runs its events; `door` checks tickets at an event's door (src/modules/events). */
export const ROLES = ['admin', 'clerk', 'official', 'partner_service', 'organiser', 'door'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a partner service's verification may show, besides the result and
 * the issuer. An official always sees the full card.
 * - `name_and_photo`: printed name, photo, expiry (a library, a shelter);
 * - `name_photo_birthdate`: adds the birth date as recorded (a clinic, a bank);
 * - `residency_only`: nothing about the holder, only "valid card of city X".
 */
export const PROFILES = ['name_and_photo', 'name_photo_birthdate', 'residency_only'] as const;
export type Profile = (typeof PROFILES)[number];
