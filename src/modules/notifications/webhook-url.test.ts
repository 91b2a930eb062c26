import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAddressPolicy, DEFAULT_DENIED_NETWORKS } from '../../platform/address-policy.js';
import { postWebhook } from './webhook-sender.js';
import { checkWebhookUrl, resolveWebhookHost } from './webhook-url.js';

const settings = { allowedNetworks: ['0.0.0.0/0', '::/0'], deniedNetworks: DEFAULT_DENIED_NETWORKS };
const strict = createAddressPolicy({ ...settings, allowLoopback: false }, 'webhooks');
const loose = createAddressPolicy({ ...settings, allowLoopback: true }, 'webhooks');

describe('webhook addresses', () => {
  it('keeps http(s) URLs to allowed addresses, normalised', () => {
    expect(checkWebhookUrl(' https://Hooks.Example.com/a?b=1 ', strict)).toBe('https://hooks.example.com/a?b=1');
    expect(checkWebhookUrl('http://192.168.1.20:8080/hook', strict)).toBe('http://192.168.1.20:8080/hook');
    expect(() => checkWebhookUrl('http://[fe80::1]/', strict)).toThrow(/webhooks.denied_networks/);
  });

  it('resolves a name at sending time and refuses it when any address is not allowed', async () => {
    const refused = await resolveWebhookHost('localhost', strict);
    expect(refused).toEqual({ refused: expect.stringContaining('webhooks.allow_loopback') });
    expect(await resolveWebhookHost('localhost', loose)).toMatchObject({
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
      const request = { body: '{}', headers: {}, timeoutMs: 2000, signal: new AbortController().signal };
      const refused = await postWebhook({ ...request, url: `http://localhost:${port}/`, addresses: strict });
      expect(refused).toMatchObject({ delivered: false, statusCode: null });
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
});
