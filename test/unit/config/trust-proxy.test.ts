/** TRUST_PROXY takes what Fastify's trustProxy takes, and names itself when it is wrong. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

const load = (TRUST_PROXY?: string) => loadConfig({ DATA_DIR: '/nonexistent', ...(TRUST_PROXY === undefined ? {} : { TRUST_PROXY }) }).trustProxy;

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['10.0.0.5', ['10.0.0.5']],
    [' 10.0.0.0/8, 192.168.1.1 ,::1, fd00::/8', ['10.0.0.0/8', '192.168.1.1', '::1', 'fd00::/8']],
    ['loopback, uniquelocal', ['loopback', 'uniquelocal']],
  ])('%j → %j', (raw, expected) => {
    expect(load(raw)).toEqual(expected);
  });

  it.each(['yes', '0', '11', 'proxy.example.org', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', '300.1.1.1', 'localhost'])('refuses %j naming the variable', (raw) => {
    expect(() => load(raw)).toThrow(ConfigError);
    expect(() => load(raw)).toThrow(/^TRUST_PROXY: /);
  });
});
