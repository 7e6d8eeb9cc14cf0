/**
 * The only reader of the environment. Turns variables into a typed, validated
 * config and fails fast with a message naming the bad variable. Secrets have
 * no default in code: in embedded mode the missing ones are generated once by
 * `resolveSecrets` (src/secrets.ts) and kept in SECRETS_DIR, outside DATA_DIR.
 */
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface PasswordHashParams {
  /** scrypt cost N (a power of two), block size r, parallelism p. */
  N: number;
  r: number;
  p: number;
}

export interface Config {
  port: number;
  host: string;
  /** Unset: embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  cityId: string;
  cityName: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** The city's official language, printed beside the holder's on cards. */
  officialLanguage: string;
  publicUrl: string;
  /** Initial admin password; unset = a random one printed once at first start. */
  adminPassword: string | undefined;
  /** 32 bytes; unset in embedded mode = generated and kept in `secretsDir`. */
  masterKey: Buffer | undefined;
  /**
   * Where embedded mode keeps the master key it generated, one file per data
   * directory: never inside DATA_DIR, so a copy of the data alone opens
   * nothing. Default `$XDG_CONFIG_HOME/local-citizenship-card` (or `~/.config/…`).
   */
  secretsDir: string;
  /** Previous master keys, still able to decrypt while data is re-encrypted. */
  previousMasterKeys: Buffer[];
  logLevel: string;
  /** Staff access-token lifetime in seconds. */
  accessTokenTtl: number;
  /** Seconds without activity after which a console session ends (the console warns a minute before). */
  staffIdleTimeout: number;
  passwordHash: PasswordHashParams;
  /**
   * Largest request body in bytes for an authenticated route that sets no
   * limit of its own (photos, partner metadata and trust lists do; public
   * routes take 4 KiB, src/http/request-budget.ts). Default 64 KiB.
   */
  bodyLimit: number;
  /**
   * Requests per minute from one client address, for all routes; sign-in and
   * claim routes have their own tighter limits. Verification counts against
   * `verifyRateLimit` instead (a partner's desk behind one address scans all day).
   */
  rateLimit: number;
  verifyRateLimit: number;
  /** The national coordinator's public key (JWK): trust lists signed by it register partners. Unset: no trust list is accepted. */
  trustAnchorJwk: Record<string, string> | undefined;
  /** The network coordinator's public key (JWK, DIRECTORY_ANCHOR_JWK): the world directory of national trust lists is signed by it. Unset: no directory. */
  directoryAnchorJwk: Record<string, string> | undefined;
  /** Where the world directory is fetched from by the federation sync (DIRECTORY_URL, https). */
  directoryUrl: string | undefined;
  /**
   * The bearer token a metrics scraper sends to read `/metrics` (per-route
   * activity in real time is not for everyone). Unset: `/metrics` is not
   * served at all (404).
   */
  metricsToken: string | undefined;
  /** Seconds between partner syncs (metadata and status lists); 0 turns the timer off. */
  federationSyncSeconds: number;
  /**
   * Fetch partner URLs even when they resolve to loopback, private,
   * link-local or other non-public addresses. Off in production (a partner
   * URL must not reach this machine or its network: SSRF); tests and local
   * demos that federate on one machine turn it on.
   */
  federationAllowPrivateNetworks: boolean;
  /**
   * Which reverse proxies may say who the client is (X-Forwarded-For), in
   * the form Fastify's `trustProxy` takes: false (none: the socket's peer is
   * the client), true (any), a hop count, or addresses/CIDRs. Sign-in
   * throttling and rate limits count per client address, so behind a proxy
   * that is not named here every client shares the proxy's address.
   */
  trustProxy: boolean | number | string[];
  /** The city's IANA time zone (TIME_ZONE): opening hours, slots and release times are read in it. Default Europe/Paris. */
  timeZone: string;
  /** Days an enrolment appointment is kept after its date, then deleted (APPOINTMENT_RETENTION_DAYS, default 7). */
  appointmentRetentionDays: number;
  /** SMTP server for appointment reminders (SMTP_URL, e.g. smtp://user:pass@host:587); unset: no reminders, and no contact is asked. */
  smtpUrl: string | undefined;
  /** Sender address of reminders (MAIL_FROM). */
  mailFrom: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/**
 * OWASP Password Storage Cheat Sheet lists equally strong scrypt settings
 * that trade memory for parallelism: N=2^17 p=1 (128 MiB per hash), 2^16 p=2,
 * 2^15 p=3, 2^14 p=5 (16 MiB), 2^13 p=10 — all with r=8. The default is
 * N=2^14, p=5: the same work as 2^17 but an eighth of the memory, so a burst
 * of sign-ins cannot exhaust a small server.
 */
export const OWASP_SCRYPT_P: Record<number, number> = { 17: 1, 16: 2, 15: 3, 14: 5, 13: 10 };
export const OWASP_SCRYPT: PasswordHashParams = { N: 2 ** 14, r: 8, p: 5 };

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback?: string): string {
  const v = env[name];
  if (v === undefined || v === '') {
    if (fallback === undefined) throw new ConfigError(name, 'is required');
    return fallback;
  }
  return v;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** `true` or `false` (unset: false); anything else is refused rather than guessed. */
function bool(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/** Accepts 32 bytes as 64 hex characters or as base64/base64url. */
export function parseKey(name: string, raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64url');
  if (key.length !== 32) {
    throw new ConfigError(name, 'must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)');
  }
  return key;
}

const CITY_ID = /^[a-z]{2}-[a-z0-9][a-z0-9-]{0,30}$/;

/** scrypt parameters for a cost N=2^log2n: OWASP's p for that N, or p=1 outside its table (tests use a cheap N). */
function scryptParams(log2n: number): PasswordHashParams {
  return { N: 2 ** log2n, r: 8, p: OWASP_SCRYPT_P[log2n] ?? 1 };
}

export function loadConfig(env: Env = process.env): Config {
  const cityId = str(env, 'CITY_ID', 'xx-demo-city');
  if (!CITY_ID.test(cityId)) {
    throw new ConfigError('CITY_ID', 'must be a short stable id like "fr-strasbourg": country code, hyphen, lower-case letters, digits, hyphens');
  }
  const country = str(env, 'COUNTRY', cityId.slice(0, 2)).toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw new ConfigError('COUNTRY', 'must be an ISO 3166-1 alpha-2 code like "FR"');

  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = str(env, 'HOST', '127.0.0.1');
  const publicUrl = str(env, 'PUBLIC_URL', `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError('PUBLIC_URL', 'must be an http(s) URL');
  }

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL');
  }

  const masterKey = env.MASTER_KEY ? parseKey('MASTER_KEY', env.MASTER_KEY) : undefined;
  if (!masterKey && databaseUrl) {
    // Several instances share one server: they must share the key, so it cannot be generated locally.
    throw new ConfigError('MASTER_KEY', 'is required with DATABASE_URL (generate one with: openssl rand -base64 32)');
  }
  const previousMasterKeys = (env.MASTER_KEY_PREVIOUS ?? '')
    .split(',')
    .filter(Boolean)
    .map((k) => parseKey('MASTER_KEY_PREVIOUS', k.trim()));

  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 12) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 12 characters');
  }

  const officialLanguage = str(env, 'OFFICIAL_LANGUAGE', 'en');
  if (!['en', 'fr', 'es', 'pt', 'ar'].includes(officialLanguage)) {
    throw new ConfigError('OFFICIAL_LANGUAGE', 'must be one of en, fr, es, pt, ar');
  }

  return {
    port,
    host,
    databaseUrl,
    dataDir: resolve(str(env, 'DATA_DIR', './data')),
    secretsDir: resolve(env.SECRETS_DIR || join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'local-citizenship-card')),
    cityId,
    cityName: str(env, 'CITY_NAME', 'Demo City'),
    country,
    officialLanguage,
    publicUrl,
    adminPassword,
    masterKey,
    previousMasterKeys,
    logLevel: str(env, 'LOG_LEVEL', 'info'),
    accessTokenTtl: int(env, 'ACCESS_TOKEN_TTL', 900, 60, 86_400),
    staffIdleTimeout: int(env, 'STAFF_IDLE_TIMEOUT', 900, 120, 43_200),
    passwordHash: scryptParams(int(env, 'PASSWORD_SCRYPT_LOG2N', 14, 10, 20)),
    bodyLimit: int(env, 'BODY_LIMIT', 64 * 1024, 1024, 64 * 1024 * 1024),
    rateLimit: int(env, 'RATE_LIMIT', 600, 1, 10_000_000),
    verifyRateLimit: int(env, 'VERIFY_RATE_LIMIT', 6000, 1, 10_000_000),
    trustAnchorJwk: parseAnchor(env.TRUST_ANCHOR_JWK),
    directoryAnchorJwk: parseAnchor(env.DIRECTORY_ANCHOR_JWK, 'DIRECTORY_ANCHOR_JWK'),
    directoryUrl: parseDirectoryUrl(env.DIRECTORY_URL, env.DIRECTORY_ANCHOR_JWK),
    metricsToken: parseMetricsToken(env.METRICS_TOKEN),
    federationSyncSeconds: int(env, 'FEDERATION_SYNC_SECONDS', 300, 0, 86_400),
    federationAllowPrivateNetworks: bool(env, 'FEDERATION_ALLOW_PRIVATE_NETWORKS'),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    timeZone: parseTimeZone(env.TIME_ZONE),
    appointmentRetentionDays: int(env, 'APPOINTMENT_RETENTION_DAYS', 7, 0, 365),
    smtpUrl: parseSmtpUrl(env.SMTP_URL),
    mailFrom: str(env, 'MAIL_FROM', 'no-reply@localhost'),
  };
}

/** TIME_ZONE: an IANA zone name the runtime knows (Intl decides; no hand-made table). */
function parseTimeZone(raw: string | undefined): string {
  const zone = raw?.trim() || 'Europe/Paris';
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigError('TIME_ZONE', `must be an IANA time zone like "Europe/Paris", got "${zone}"`);
  }
}

/** SMTP_URL: smtp:// or smtps:// (unset: reminders off). */
function parseSmtpUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL');
  return raw;
}

/** TRUST_PROXY: `false` (default), `true`, a hop count (`1`), or a comma list of addresses, CIDRs and `loopback`/`linklocal`/`uniquelocal` (`10.0.0.5, 192.168.0.0/24`). */
function parseTrustProxy(raw: string | undefined): boolean | number | string[] {
  const v = raw?.trim() ?? '';
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops < 1 || hops > 10) throw new ConfigError('TRUST_PROXY', `a hop count must be between 1 and 10, got ${hops}`);
    return hops;
  }
  const items = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const item of items) {
    // proxy-addr's names for the reserved ranges (loopback: 127.0.0.1/8 and ::1/128).
    if (item === 'loopback' || item === 'linklocal' || item === 'uniquelocal') continue;
    const [address, bits, ...rest] = item.split('/');
    const family = isIP(address ?? '');
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (family === 0 || !validBits || rest.length > 0) {
      throw new ConfigError('TRUST_PROXY', `must be true, false, a hop count or a comma list of addresses, CIDRs, loopback, linklocal, uniquelocal; "${item}" is none of these`);
    }
  }
  return items;
}

/** METRICS_TOKEN: unset, or a secret of 32+ characters of token68 (RFC 9110 §11.2), e.g. `openssl rand -hex 32`. */
function parseMetricsToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 32 || !/^[A-Za-z0-9\-._~+/]+=*$/.test(raw)) throw new ConfigError('METRICS_TOKEN', 'must be at least 32 characters of letters, digits and -._~+/ (openssl rand -hex 32)');
  return raw;
}

/** TRUST_ANCHOR_JWK (or DIRECTORY_ANCHOR_JWK): one public JWK as JSON, Ed25519 (OKP) or P-256 (EC); a private key is refused. */
function parseAnchor(raw: string | undefined, name = 'TRUST_ANCHOR_JWK'): Record<string, string> | undefined {
  if (!raw) return undefined;
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new ConfigError(name, 'must be a JWK as JSON (npm run cli -- trust-anchor:generate makes one)');
  }
  if (typeof jwk !== 'object' || jwk === null || 'd' in jwk) throw new ConfigError(name, 'must be a public JWK (no "d")');
  const okp = jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string';
  const ec = jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string';
  if (!okp && !ec) throw new ConfigError(name, 'must be an Ed25519 or P-256 public key');
  return okp ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string } : { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string };
}

/** DIRECTORY_URL: an https URL, and only with DIRECTORY_ANCHOR_JWK (a directory no key can check is useless). */
function parseDirectoryUrl(raw: string | undefined, anchor: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!anchor) throw new ConfigError('DIRECTORY_URL', 'needs DIRECTORY_ANCHOR_JWK (the key that signs the directory)');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError('DIRECTORY_URL', 'must be an https URL');
  }
  if (u.protocol !== 'https:' || u.username || u.password) throw new ConfigError('DIRECTORY_URL', 'must be an https URL without credentials');
  return raw;
}
