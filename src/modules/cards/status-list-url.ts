/**
 * Where a city's status list lives, from its public address (PUBLIC_URL):
 * the cards' `status.status_list.uri`, the list's `sub`, and the
 * `status_list_url` of the issuer metadata are this one string.
 */
export const STATUS_LIST_PATH = '/v1/status-list';

/** @example statusListUrlOf('https://id.strasbourg.eu') // 'https://id.strasbourg.eu/v1/status-list' */
export function statusListUrlOf(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${STATUS_LIST_PATH}`;
}

/**
 * The issuer URI (the cards' `iss`) of a partner city running this service,
 * from the status list URL its signed metadata gives: the same public
 * address without the path.
 * @example issuerUriOfStatusListUrl('https://id.lyon.fr/v1/status-list') // 'https://id.lyon.fr'
 */
export function issuerUriOfStatusListUrl(url: string): string {
  return url.endsWith(STATUS_LIST_PATH) ? url.slice(0, -STATUS_LIST_PATH.length) : new URL(url).origin;
}
