/**
 * The transport for partner documents: node:http(s) connecting to the
 * address the outbound guard checked (no DNS lookup of its own when pinned),
 * TLS still verified against the URL's host name, and never following a
 * redirect (a 3xx is handed back as it is, and fetchDocument refuses it).
 * It answers with a WHATWG Response so tests can swap in another transport.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type { PinnedAddress } from './outbound-guard.js';

export interface TransportInit {
  headers: Record<string, string>;
  signal: AbortSignal;
  redirect: 'error';
  /** Connect here and nowhere else; absent when private networks are allowed. */
  pin?: PinnedAddress;
}

/** A lookup that answers only the checked address, whatever name it is asked. */
function pinnedLookup(pin: PinnedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: pin.address, family: pin.family }]);
    else callback(null, pin.address, pin.family);
  }) as LookupFunction;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

export function pinnedFetch(url: string, init: TransportInit): Promise<Response> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      {
        method: 'GET',
        headers: init.headers,
        signal: init.signal,
        agent: false, // a fresh connection: a pooled socket could belong to another address
        ...(init.pin ? { lookup: pinnedLookup(init.pin) } : {}),
      },
      (res: IncomingMessage) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (v === undefined) continue;
          for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
        }
        const status = res.statusCode ?? 502;
        if (NULL_BODY.has(status)) {
          res.resume();
          return resolve(new Response(null, { status: status === 101 ? 502 : status, headers }));
        }
        resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status: status < 200 || status > 599 ? 502 : status, headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
