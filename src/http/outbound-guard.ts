/**
 * Where the service may connect when it fetches a URL it was given (a
 * partner's metadata or status list, a trust list's `metadataUrl`): only to
 * public addresses, checked after DNS resolution — every address the name
 * resolves to, since a client may pick any — and then pinned, so the
 * connection goes to the very address that was checked (a second lookup
 * could answer differently: DNS rebinding). `FEDERATION_ALLOW_PRIVATE_NETWORKS`
 * lifts the check for tests and local demos that federate on one machine.
 *
 * A refusal is the same problem as an unreachable host, so the answer does
 * not tell an administrator (or a partner's document) what is reachable
 * from here.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../errors/app-error.js';
import { isPublicAddress } from './public-address.js';

/** The checked address a connection must go to. */
export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolve = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The one problem for any URL that cannot be fetched, for whatever reason. */
export function fetchFailed(): AppError {
  return new AppError('partner-fetch-failed', { detail: 'The document could not be fetched from that URL.' });
}

export function createOutboundGuard(opts: { allowPrivate: boolean; resolve?: Resolve }) {
  const resolve = opts.resolve ?? systemResolve;
  return {
    allowPrivate: opts.allowPrivate,
    /**
     * The address to connect to for `url`, or `undefined` when private
     * networks are allowed (the transport then resolves as usual).
     * @throws AppError `partner-fetch-failed` for a non-public or unresolvable target
     */
    async check(url: string): Promise<PinnedAddress | undefined> {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        throw fetchFailed();
      }
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw fetchFailed();
      if (opts.allowPrivate) return undefined;
      // WHATWG URL has already turned 127.1, 2130706433 and 0x7f.1 into 127.0.0.1.
      const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
      let addresses: Array<{ address: string; family: number }>;
      if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
      else {
        try {
          addresses = await resolve(host);
        } catch {
          throw fetchFailed();
        }
      }
      if (addresses.length === 0 || !addresses.every((a) => isPublicAddress(a.address))) throw fetchFailed();
      const first = addresses[0]!;
      return { address: first.address, family: first.family === 6 ? 6 : 4 };
    },
  };
}

export type OutboundGuard = ReturnType<typeof createOutboundGuard>;
