/**
 * The national coordinator's tools (no database): make a coordinator key,
 * sign a trust list from a folder of issuer metadata, check a trust list;
 * the network coordinator's: sign and check the world directory.
 * And a city's: sync every partner now.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../errors/app-error.js';
import { thumbprintOf } from '../modules/federation/jose-util.js';
import { verifyIssuerMetadata } from '../modules/federation/metadata-check.js';
import { signTrustList, verifyTrustList, type TrustListEntry } from '../modules/federation/trust-list.js';
import { signDirectory, verifyDirectory, type DirectoryEntry } from '../modules/federation/directory.js';
import type { Command } from './command.js';
import { withServices } from './command.js';

const DAY = 86_400;
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
const describe = (e: unknown) => (e instanceof AppError ? `${e.code}${e.options.detail ? ` (${e.options.detail})` : ''}${e.options.errors ? ` ${JSON.stringify(e.options.errors)}` : ''}` : String(e));

export const trustAnchorGenerate: Command = {
  summary: 'make a coordinator key pair: --out <folder> (writes coordinator.private.jwk.json, mode 600, and coordinator.public.jwk.json)',
  async run(_config, args) {
    const { values } = parseArgs({ args, options: { out: { type: 'string', default: '.' } } });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const { kty, crv, x } = publicKey.export({ format: 'jwk' }) as Record<string, string>;
    const pub = { kty: kty!, crv: crv!, x: x! };
    writeFileSync(join(values.out!, 'coordinator.private.jwk.json'), `${JSON.stringify(privateKey.export({ format: 'jwk' }))}\n`, { mode: 0o600, flag: 'wx' });
    writeFileSync(join(values.out!, 'coordinator.public.jwk.json'), `${JSON.stringify(pub)}\n`, { flag: 'wx' });
    out(`fingerprint ${await thumbprintOf(pub)}`);
    out(`cities configure: TRUST_ANCHOR_JWK='${JSON.stringify(pub)}'`);
    return 0;
  },
};

export const trustListSign: Command = {
  summary: 'sign a trust list: <folder of issuer metadata JWS files> --key <coordinator private JWK> [--country FR] [--days 30] [--out file]',
  async run(config, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { key: { type: 'string' }, country: { type: 'string' }, days: { type: 'string', default: '30' }, out: { type: 'string' } } });
    const folder = positionals[0];
    if (!folder || !values.key) {
      err('usage: trust-list:sign <folder> --key <coordinator private JWK file> [--country FR] [--days 30] [--out file]');
      return 2;
    }
    const country = (values.country ?? config.country).toUpperCase();
    const now = new Date();
    const issuers: TrustListEntry[] = [];
    let refused = 0;
    for (const file of readdirSync(folder).filter((f) => /\.(jws|jwt|txt)$/.test(f)).sort()) {
      const jws = readFileSync(join(folder, file), 'utf8').trim();
      try {
        // Self-consistency: signed by the root it names, certificates by that root. The coordinator
        // vouches for that root by listing its fingerprint, so it must have confirmed it with the city.
        const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString()) as { root?: Record<string, string>; jwks_url?: string };
        const m = await verifyIssuerMetadata(jws, { fingerprint: await thumbprintOf(payload.root ?? {}), now, expectedCountry: country });
        const metadataUrl = String(payload.jwks_url).replace(/jwks\.json$/, 'lcc-issuer');
        issuers.push({ id: m.iss, name: m.name, country: m.country, rootFingerprint: m.rootFingerprint, metadataUrl });
      } catch (e) {
        refused++;
        err(`${file}: refused — ${describe(e)}`);
      }
    }
    if (refused > 0) return 1;
    const iat = Math.floor(now.getTime() / 1000);
    const jws = await signTrustList({ country, iat, exp: iat + Number(values.days) * DAY, issuers }, readJson(values.key));
    if (values.out) writeFileSync(values.out, `${jws}\n`);
    else out(jws);
    err(`signed a trust list of ${issuers.length} ${country} issuers`);
    return 0;
  },
};

export const trustListVerify: Command = {
  summary: 'check a trust list: <file> --anchor <coordinator public JWK file>',
  async run(_config, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { anchor: { type: 'string' } } });
    if (!positionals[0] || !values.anchor) {
      err('usage: trust-list:verify <file> --anchor <public JWK file>');
      return 2;
    }
    try {
      const list = await verifyTrustList(readFileSync(positionals[0], 'utf8').trim(), readJson(values.anchor), { now: new Date() });
      out(`valid: ${list.issuers.length} ${list.country} issuers, issued ${new Date(list.iat * 1000).toISOString()}, expires ${new Date(list.exp * 1000).toISOString()}`);
      return 0;
    } catch (e) {
      err(`refused — ${describe(e)}`);
      return 1;
    }
  },
};

export const federationSync: Command = {
  summary: "refresh the world directory (if configured) and every partner's metadata and status list now",
  run: (config) =>
    withServices(config, async ({ partnerSync, directory }) => {
      // The world directory first (when configured): it may list new issuers for the partner round.
      if (directory.configured()) {
        const d = await directory.sync();
        out(`directory: ${d.lastError ?? 'ok'}; ${d.countries.map((c) => `${c.country} ${c.issuers} issuers${c.lastError ? ` (${c.lastError})` : ''}`).join(', ') || 'no other country'}`);
      }
      const r = await partnerSync.syncAll();
      out(`${r.partners} partners: ${r.changed} refreshed, ${r.failed} failed (last good copies kept)`);
      return r.failed > 0 ? 1 : 0;
    }),
};

export const directorySign: Command = {
  summary: 'sign the world directory: <entries JSON: [{ country, coordinatorJwk: JWK or its file, trustListUrl }]> --key <network coordinator private JWK> [--days 30] [--out file]',
  async run(_config, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { key: { type: 'string' }, days: { type: 'string', default: '30' }, out: { type: 'string' } } });
    if (!positionals[0] || !values.key) {
      err('usage: directory:sign <entries.json> --key <network coordinator private JWK file> [--days 30] [--out file]');
      return 2;
    }
    const raw = JSON.parse(readFileSync(positionals[0], 'utf8')) as Array<{ country: string; coordinatorJwk: Record<string, string> | string; trustListUrl: string; fingerprint?: string }>;
    const entries: DirectoryEntry[] = [];
    for (const e of raw) {
      // A file name, relative to the working folder, or the JWK itself.
      const jwk = typeof e.coordinatorJwk === 'string' ? readJson(e.coordinatorJwk) : e.coordinatorJwk;
      const fingerprint = await thumbprintOf(jwk);
      if (e.fingerprint !== undefined && e.fingerprint !== fingerprint) {
        err(`${e.country}: the fingerprint given (${e.fingerprint}) is not the key's (${fingerprint}); nothing signed`);
        return 1;
      }
      entries.push({ country: String(e.country).toUpperCase(), coordinatorJwk: jwk, fingerprint, trustListUrl: e.trustListUrl });
    }
    const iat = Math.floor(Date.now() / 1000);
    const directory = { iat, exp: iat + Number(values.days) * DAY, entries };
    const jws = await signDirectory(directory, readJson(values.key));
    try {
      // The same checks a city runs, before anything leaves the coordinator.
      const { d: _d, ...pub } = readJson(values.key);
      await verifyDirectory(jws, pub, { now: new Date() });
    } catch (e) {
      err(`refused — ${describe(e)}`);
      return 1;
    }
    if (values.out) writeFileSync(values.out, `${jws}\n`);
    else out(jws);
    err(`signed a directory of ${entries.length} national trust lists (${entries.map((e) => e.country).join(', ')})`);
    return 0;
  },
};

export const directoryVerify: Command = {
  summary: 'check a world directory: <file> --anchor <network coordinator public JWK file>',
  async run(_config, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { anchor: { type: 'string' } } });
    if (!positionals[0] || !values.anchor) {
      err('usage: directory:verify <file> --anchor <public JWK file>');
      return 2;
    }
    try {
      const d = await verifyDirectory(readFileSync(positionals[0], 'utf8').trim(), readJson(values.anchor), { now: new Date() });
      out(`valid: ${d.entries.length} national trust lists, issued ${new Date(d.iat * 1000).toISOString()}, expires ${new Date(d.exp * 1000).toISOString()}`);
      for (const e of d.entries) out(`${e.country} ${e.fingerprint} ${e.trustListUrl}`);
      return 0;
    } catch (e) {
      err(`refused — ${describe(e)}`);
      return 1;
    }
  },
};
