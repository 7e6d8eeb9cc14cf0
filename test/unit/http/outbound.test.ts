/**
 * The outbound guard and its pinned transport (issue 13, finding 8): which
 * addresses count as public, every resolved address checked, and the
 * connection made to the checked address with no second lookup.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundGuard, type Resolve } from '../../../src/http/outbound-guard.js';
import { pinnedFetch } from '../../../src/http/pinned-fetch.js';
import { isPublicAddress } from '../../../src/http/public-address.js';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '0.0.0.0', '0.1.2.3', '10.0.0.1', '100.64.0.1', '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.0.0.8', '192.0.2.1',
    '192.168.0.1', '198.18.0.1', '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
    '::', '::1', '::127.0.0.1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '64:ff9b::7f00:1', '64:ff9b:1::1',
    '100::1', '2001::1', '2001:db8::1', '2002:7f00:1::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'fec0::1', 'ff02::1', 'not an address', '',
  ])('%s is not public', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4007:80e::200e'])(
    '%s is public',
    (ip) => {
      expect(isPublicAddress(ip)).toBe(true);
    },
  );
});

describe('the guard checks what the name resolves to, every address of it', () => {
  const answers: Record<string, string[]> = {
    'public.test': ['93.184.215.14', '2606:4700:4700::1111'],
    'mixed.test': ['93.184.215.14', '127.0.0.1'],
    'mixed6.test': ['2606:4700:4700::1111', '::1'],
    'mapped.test': ['::ffff:10.0.0.5'],
    'empty.test': [],
  };
  let lookups: string[] = [];
  const resolve: Resolve = async (host) => {
    lookups.push(host);
    const list = answers[host];
    if (!list) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const guard = createOutboundGuard({ allowPrivate: false, resolve });

  it('pins a public name to its first address', async () => {
    await expect(guard.check('https://public.test/x')).resolves.toEqual({ address: '93.184.215.14', family: 4 });
  });

  it.each(['https://mixed.test/', 'https://mixed6.test/', 'https://mapped.test/', 'https://empty.test/', 'https://nowhere.test/', 'ftp://public.test/', 'file:///etc/passwd', 'not a url'])(
    '%s is refused with partner-fetch-failed',
    async (url) => {
      await expect(guard.check(url)).rejects.toMatchObject({ code: 'partner-fetch-failed', message: 'The document could not be fetched from that URL.' });
    },
  );

  it('an IP literal is checked as it is, without a lookup', async () => {
    lookups = [];
    await expect(guard.check('https://[2606:4700:4700::1111]/x')).resolves.toEqual({ address: '2606:4700:4700::1111', family: 6 });
    await expect(guard.check('https://2130706433/')).rejects.toMatchObject({ code: 'partner-fetch-failed' });
    expect(lookups).toEqual([]);
  });

  it('with private networks allowed, nothing is resolved or pinned', async () => {
    lookups = [];
    const open = createOutboundGuard({ allowPrivate: true, resolve });
    await expect(open.check('http://127.0.0.1:1/')).resolves.toBeUndefined();
    await expect(open.check('file:///etc/passwd')).rejects.toMatchObject({ code: 'partner-fetch-failed' });
    expect(lookups).toEqual([]);
  });
});

describe('the pinned transport connects to the checked address only', () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(String(req.headers.host));
    res.writeHead(req.url === '/moved' ? 302 : 200, req.url === '/moved' ? { location: 'http://127.0.0.1:1/' } : { etag: '"v1"' }).end('hello');
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('a name that resolves nowhere still reaches the pinned address, with its own Host header (no second DNS lookup)', async () => {
    const res = await pinnedFetch(`http://rebound.invalid:${port}/doc`, { headers: { accept: '*/*' }, signal: AbortSignal.timeout(5000), redirect: 'error', pin: { address: '127.0.0.1', family: 4 } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"v1"');
    expect(await res.text()).toBe('hello');
    expect(seen).toEqual([`rebound.invalid:${port}`]);
  });

  it('a redirect is handed back, not followed', async () => {
    const res = await pinnedFetch(`http://127.0.0.1:${port}/moved`, { headers: {}, signal: AbortSignal.timeout(5000), redirect: 'error' });
    expect(res.status).toBe(302);
    await res.body?.cancel();
  });
});
