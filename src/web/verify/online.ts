/**
 * Officials and partners signed in at the verifier page: each code is sent to
 * POST /v1/verify, which answers with what the caller's profile may see (the
 * photo included). The bearer — a staff access token or a pasted partner
 * service key — lives in this module's memory only: never in the address,
 * never in storage, gone on reload. Any failure to reach the server is
 * reported so the page can fall back to its offline check and say so.
 */
import type { VerificationResultCode } from '../../credential/index.js';

export interface Session {
  kind: 'staff' | 'key';
  /** What the page shows: the username, or nothing for a key. */
  who: string;
  bearer: string;
  /** Staff tokens expire (ms since epoch); keys do not. */
  expiresAt?: number;
}

export interface OnlineCard {
  number?: string;
  name?: string;
  birthDate?: string | null;
  marker?: string;
  issuedOn?: string;
  expiresOn?: string;
  /** data:image/jpeg;base64 — only ever used as an <img> source. */
  photo?: string;
}

export interface OnlineAnswer {
  result: VerificationResultCode;
  kind: 'card' | 'resident_proof';
  profile: string;
  issuer?: { id: string; name: string; country: string };
  card?: OnlineCard;
  validUntil?: string;
  checkedAt: string;
}

/** Why a sign-in failed: `title` is the server's own (translated) problem title. */
export class SignInError extends Error {
  constructor(
    readonly reason: 'refused' | 'not_allowed' | 'network' | 'bad_key',
    readonly title?: string,
  ) {
    super(reason);
  }
}

const ALLOWED_ROLES = new Set(['official', 'partner_service']);

export async function signIn(username: string, password: string, lang: string): Promise<Session> {
  let res: Response;
  try {
    res = await fetch('/v1/auth/login', {
      method: 'POST',
      credentials: 'omit',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', 'accept-language': lang },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new SignInError('network');
  }
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { title?: string };
    throw new SignInError('refused', typeof problem.title === 'string' ? problem.title : undefined);
  }
  const body = (await res.json()) as { accessToken: string; expiresIn: number; role: string };
  // Clerks and administrators cannot call /v1/verify: the token is dropped at once.
  if (!ALLOWED_ROLES.has(body.role)) throw new SignInError('not_allowed');
  return { kind: 'staff', who: username, bearer: body.accessToken, expiresAt: Date.now() + body.expiresIn * 1000 };
}

/** A partner's service key, as pasted (checked by the server on the first scan). */
export function keySession(key: string): Session {
  const k = key.trim();
  if (!/^lcc_sk_\S+$/.test(k)) throw new SignInError('bad_key');
  return { kind: 'key', who: '', bearer: k };
}

export type OnlineOutcome =
  | { ok: true; answer: OnlineAnswer }
  | { ok: false; reason: 'network' | 'signed_out' | 'not_allowed' | 'server' };

export async function verifyOnline(session: Session, qr: string, lang: string): Promise<OnlineOutcome> {
  let res: Response;
  try {
    res = await fetch('/v1/verify', {
      method: 'POST',
      credentials: 'omit',
      cache: 'no-store',
      headers: { authorization: `Bearer ${session.bearer}`, 'content-type': 'application/json', 'accept-language': lang },
      body: JSON.stringify({ qr }),
    });
  } catch {
    return { ok: false, reason: 'network' };
  }
  if (res.status === 401) return { ok: false, reason: 'signed_out' };
  if (res.status === 403) return { ok: false, reason: 'not_allowed' };
  if (!res.ok) return { ok: false, reason: 'server' };
  try {
    return { ok: true, answer: (await res.json()) as OnlineAnswer };
  } catch {
    return { ok: false, reason: 'server' };
  }
}
