import { createSocket } from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAddressPolicy, DEFAULT_DENIED_NETWORKS } from '../../platform/address-policy.js';
import { postWebhook } from './webhook-sender.js';
import { checkWebhookUrl, createHostResolver, type HostResolver, resolveWebhookHost } from './webhook-url.js';

const settings = {
  allowedNetworks: ['0.0.0.0/0', '::/0'],
  deniedNetworks: DEFAULT_DENIED_NETWORKS,
  allowedInternalNetworks: [],
};
const strict = createAddressPolicy({ ...settings, allowLoopback: false }, 'webhooks');
const loose = createAddressPolicy({ ...settings, allowLoopback: true }, 'webhooks');
const onPremises = createAddressPolicy(
  { ...settings, allowLoopback: false, allowedInternalNetworks: ['192.168.1.0/24'] },
  'webhooks',
);

/** DNS as a fake at its seam: fixed answers per name and family; a missing one is "no such record". */
function fakeDns(answers: Record<string, { v4?: string[]; v6?: string[] }>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const answer = (family: 'v4' | 'v6') => async (host: string) => {
    asked.push(`${family} ${host}`);
    const found = answers[host]?.[family];
    if (found) return found;
    throw Object.assign(new Error(`queryA ENODATA ${host}`), { code: 'ENODATA' });
  };
  return { asked, resolve4: answer('v4'), resolve6: answer('v6') };
}

/** For names that need no query (localhost, literal addresses): any query fails the test. */
const noDns: HostResolver = {
  resolve4: () => Promise.reject(new Error('no DNS query expected')),
  resolve6: () => Promise.reject(new Error('no DNS query expected')),
};

describe('webhook addresses', () => {
  it('keeps http(s) URLs to allowed addresses, normalised', () => {
    expect(checkWebhookUrl(' https://Hooks.Example.com/a?b=1 ', strict)).toBe('https://hooks.example.com/a?b=1');
    expect(checkWebhookUrl('http://192.168.1.20:8080/hook', onPremises)).toBe('http://192.168.1.20:8080/hook');
    expect(() => checkWebhookUrl('http://[fe80::1]/', strict)).toThrow(/webhooks.denied_networks/);
    expect(() => checkWebhookUrl('http://192.168.1.20:8080/hook', strict)).toThrow(
      /webhooks.allowed_internal_networks/,
    );
    expect(() => checkWebhookUrl('http://[64:ff9b::10.0.0.1]/', strict)).toThrow(/private or special-purpose/);
  });

  it('checks every address a name resolves to, of both families, and connects to a checked one', async () => {
    const dns = fakeDns({
      'hooks.example.com': { v4: ['203.0.113.7'], v6: ['2001:db8::7'] },
      'sneaky.example.com': { v4: ['203.0.113.8'], v6: ['fd00::1'] },
      'rebind.example.com': { v4: ['203.0.113.9', '10.0.0.1'] },
      'nat64.example.com': { v6: ['64:ff9b::c0a8:101'] },
      'v6only.example.com': { v6: ['2001:db8::9'] },
    });
    expect(await resolveWebhookHost('hooks.example.com', strict, dns)).toEqual({ address: '203.0.113.7', family: 4 });
    expect(dns.asked).toEqual(['v4 hooks.example.com', 'v6 hooks.example.com']);
    // The reasons (kept in the delivery log every member reads) name the host, not the address it resolved to.
    const sneaky = await resolveWebhookHost('sneaky.example.com', strict, dns);
    expect(sneaky).toEqual({ refused: expect.stringMatching(/^an address of sneaky\.example\.com is a private/) });
    expect(JSON.stringify(sneaky)).not.toContain('fd00::1');
    const rebind = await resolveWebhookHost('rebind.example.com', strict, dns);
    expect(rebind).toEqual({ refused: expect.stringContaining('rebind.example.com') });
    expect(JSON.stringify(rebind)).not.toContain('10.0.0.1');
    expect(await resolveWebhookHost('nat64.example.com', strict, dns)).toEqual({
      refused: expect.stringContaining('192.168.0.0/16'),
    });
    expect(await resolveWebhookHost('nat64.example.com', onPremises, dns)).toEqual({
      address: '64:ff9b::c0a8:101',
      family: 6,
    });
    expect(await resolveWebhookHost('v6only.example.com', strict, dns)).toEqual({ address: '2001:db8::9', family: 6 });
    // No address is the receiver's failure (its name), not a refusal by our rule.
    await expect(resolveWebhookHost('nothing.example.com', strict, dns)).rejects.toThrow(
      'nothing.example.com has no address',
    );
  });

  it('gives up a DNS server that does not answer within the timeout', async () => {
    // A UDP "server" that reads the queries and never answers.
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const resolver = createHostResolver(200, 1);
      resolver.setServers([`127.0.0.1:${silent.address().port}`]);
      const started = Date.now();
      await expect(resolveWebhookHost('hooks.example.com', strict, resolver)).rejects.toThrow(
        /cannot resolve hooks.example.com \(ETIMEOUT\)/,
      );
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });

  it('resolves a name at sending time and refuses it when any address is not allowed', async () => {
    const refused = await resolveWebhookHost('localhost', strict, noDns);
    expect(refused).toEqual({ refused: expect.stringContaining('webhooks.allow_loopback') });
    expect(await resolveWebhookHost('localhost', loose, noDns)).toMatchObject({
      address: expect.stringMatching(/^(127\.|::1)/),
    });
  });

  it('does not connect to a refused receiver, and logs why', async () => {
    let connections = 0;
    const server = http.createServer((_request, response) => response.end('ok'));
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const request = {
        body: '{}',
        headers: {},
        timeoutMs: 2000,
        resolver: noDns,
        signal: new AbortController().signal,
      };
      const refused = await postWebhook({ ...request, url: `http://localhost:${port}/`, addresses: strict });
      // Never sent: the receiver's circuit does not count it.
      expect(refused).toMatchObject({ delivered: false, statusCode: null, unsent: true });
      expect(refused.error).toMatch(/^not sent: .*loopback/);
      expect(connections).toBe(0);
      const sent = await postWebhook({ ...request, url: `http://127.0.0.1:${port}/`, addresses: loose });
      expect(sent).toEqual({ delivered: true, statusCode: 200, error: null });
    } finally {
      server.close();
    }
  });

  it('gives up an attempt the receiver does not answer within the timeout', async () => {
    const server = http.createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const started = Date.now();
      const result = await postWebhook({
        url: `http://127.0.0.1:${port}/`,
        body: '{}',
        headers: {},
        timeoutMs: 300,
        addresses: loose,
        resolver: noDns,
        signal: new AbortController().signal,
      });
      expect(result).toMatchObject({ delivered: false, statusCode: null });
      expect(result.error).toContain('no answer within 0.3 s');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('stops waiting for a DNS answer as soon as the attempt is aborted', async () => {
    // A resolver that never answers, as a DNS server that drops the queries until the timeout.
    const silentDns: HostResolver = { resolve4: () => new Promise(() => {}), resolve6: () => new Promise(() => {}) };
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 100);
    const result = await postWebhook({
      url: 'https://hooks.example.com/',
      body: '{}',
      headers: {},
      timeoutMs: 10_000,
      addresses: loose,
      resolver: silentDns,
      signal: abort.signal,
    });
    expect(result).toMatchObject({ delivered: false, statusCode: null, error: 'not sent: aborted' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
