import { describe, expect, it } from 'vitest';
import { createAddressPolicy, literalIp, normaliseIp } from './address-policy.js';
import { ConfigError, parseConfig } from './config.js';

const defaults = parseConfig({}).devices;

describe('device address policy', () => {
  it('by default refuses loopback, unspecified, link-local and metadata addresses, and allows the rest', () => {
    const policy = createAddressPolicy(defaults);
    for (const refused of [
      '127.0.0.1',
      '127.9.9.9',
      '::1',
      '0.0.0.0',
      '::',
      '169.254.169.254',
      'fe80::1',
      'fd00:ec2::254',
      '100.100.100.200',
    ]) {
      expect(policy.check(refused), refused).toMatchObject({ allowed: false });
    }
    for (const allowed of ['10.0.0.1', '192.168.1.1', '100.64.0.1', '203.0.113.9', '2001:db8::1', 'fd12::1']) {
      expect(policy.check(allowed), allowed).toMatchObject({ allowed: true });
    }
  });

  it('checks IPv4-mapped IPv6 addresses as the IPv4 address they carry, in every spelling', () => {
    const policy = createAddressPolicy(defaults);
    for (const mapped of [
      '::ffff:127.0.0.1',
      '::FFFF:7f00:1',
      '0:0:0:0:0:ffff:127.0.0.1',
      '::ffff:169.254.169.254',
      '[::ffff:127.0.0.1]',
    ]) {
      expect(policy.check(mapped), mapped).toMatchObject({ allowed: false });
    }
    expect(normaliseIp('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(normaliseIp('::ffff:1:2:3')).toBe('::ffff:1:2:3');
    expect(literalIp('[fe80::1%eth0]')).toBe('fe80::1');
    expect(literalIp('router.example.org')).toBeNull();
  });

  it('names the setting that refused an address', () => {
    const policy = createAddressPolicy(defaults);
    expect(policy.check('127.0.0.1')).toMatchObject({ reason: expect.stringContaining('devices.allow_loopback') });
    expect(policy.check('169.254.169.254')).toMatchObject({
      reason: expect.stringContaining('devices.denied_networks'),
    });
    const narrow = createAddressPolicy({ ...defaults, allowedNetworks: ['10.0.0.0/8'] });
    expect(narrow.check('192.168.1.1')).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('devices.allowed_networks'),
    });
  });

  it('lets deny win over allow and over allow_loopback; loopback must still be in the allowed networks', () => {
    const policy = createAddressPolicy({
      allowedNetworks: ['10.0.0.0/8', '127.0.0.0/8'],
      deniedNetworks: ['10.1.0.0/16', '127.0.0.2/32'],
      allowLoopback: true,
    });
    expect(policy.check('10.2.0.1')).toMatchObject({ allowed: true });
    expect(policy.check('10.1.0.1')).toMatchObject({ allowed: false });
    expect(policy.check('127.0.0.1')).toMatchObject({ allowed: true });
    expect(policy.check('127.0.0.2')).toMatchObject({ allowed: false });
    expect(policy.check('::1')).toMatchObject({ allowed: false });
  });

  it('keeps IPv4 and IPv6 rules apart: denying ::/0 leaves IPv4 alone', () => {
    const policy = createAddressPolicy({
      allowedNetworks: ['0.0.0.0/0', '::/0'],
      deniedNetworks: ['::/0'],
      allowLoopback: false,
    });
    expect(policy.check('192.0.2.1')).toMatchObject({ allowed: true });
    expect(policy.check('2001:db8::1')).toMatchObject({ allowed: false });
  });

  it('reads the settings from the environment and refuses malformed networks at boot', () => {
    const config = parseConfig({
      FLEETFLASH_DEVICE_ALLOWED_NETWORKS: '10.0.0.0/8, fd00::/8, 192.0.2.7',
      FLEETFLASH_DEVICE_DENIED_NETWORKS: '',
      FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'true',
    });
    expect(config.devices).toEqual({
      allowedNetworks: ['10.0.0.0/8', 'fd00::/8', '192.0.2.7/32'],
      deniedNetworks: [],
      allowLoopback: true,
      offlineAfter: 900,
      reachabilityCheckInterval: 300,
    });
    expect(defaults).toMatchObject({ allowedNetworks: ['0.0.0.0/0', '::/0'], allowLoopback: false });
    expect(defaults.deniedNetworks).toEqual(
      expect.arrayContaining(['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128']),
    );
    for (const bad of ['10.0.0.0/33', 'not-a-network', '10.0.0.0/8/1', 'fe80::/200']) {
      expect(() => parseConfig({ FLEETFLASH_DEVICE_DENIED_NETWORKS: bad }), bad).toThrow(ConfigError);
    }
  });
});

describe('webhook address policy', () => {
  const webhooks = parseConfig({}).notifications.webhookNetworks;

  it('by default refuses private and special-purpose addresses, in every spelling, and allows public ones', () => {
    const policy = createAddressPolicy(webhooks, 'webhooks');
    for (const refused of [
      '127.0.0.1',
      '0.0.0.0',
      '::',
      '::1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.254',
      '192.168.1.1',
      '100.64.0.1',
      '100.127.255.254',
      '169.254.169.254',
      '224.0.0.251',
      '255.255.255.255',
      'fd12::1',
      'fc00::1',
      'fec0::1',
      'fe80::1',
      'ff02::1',
      '::ffff:10.0.0.1',
      '::ffff:c0a8:101',
      '::10.0.0.1',
      '64:ff9b::10.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::7f00:1',
      '64:ff9b:1::c0a8:101',
      '64:ff9b:1:c0a8:1:100::',
    ]) {
      expect(policy.check(refused), refused).toMatchObject({ allowed: false });
    }
    for (const allowed of [
      '203.0.113.9',
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '2001:db8::1',
      '2a00:1450:4001::1',
      '::ffff:8.8.8.8',
      '64:ff9b::8.8.8.8',
      '64:ff9b::808:808',
    ]) {
      expect(policy.check(allowed), allowed).toMatchObject({ allowed: true });
    }
    expect(policy.check('192.168.1.1')).toMatchObject({
      reason: expect.stringContaining('webhooks.allowed_internal_networks'),
    });
    expect(policy.check('64:ff9b::10.0.0.1')).toMatchObject({ reason: expect.stringContaining('10.0.0.0/8') });
  });

  it('lets the allow-list permit internal receivers, loopback included, and deny still wins', () => {
    const config = parseConfig({
      FLEETFLASH_WEBHOOK_ALLOWED_INTERNAL_NETWORKS: '10.20.0.0/16, 127.0.0.1, fd00:1::/32',
      FLEETFLASH_WEBHOOK_DENIED_NETWORKS: '10.20.9.0/24',
    }).notifications.webhookNetworks;
    expect(config.allowedInternalNetworks).toEqual(['10.20.0.0/16', '127.0.0.1/32', 'fd00:1::/32']);
    const policy = createAddressPolicy(config, 'webhooks');
    for (const allowed of ['10.20.1.1', '127.0.0.1', '::ffff:127.0.0.1', 'fd00:1::5', '64:ff9b::10.20.1.1'])
      expect(policy.check(allowed), allowed).toMatchObject({ allowed: true });
    for (const refused of ['10.21.0.1', '127.0.0.2', '::1', '10.20.9.1', '192.168.0.1'])
      expect(policy.check(refused), refused).toMatchObject({ allowed: false });
    // allow_loopback alone still allows loopback only.
    const loopback = createAddressPolicy({ ...webhooks, allowLoopback: true }, 'webhooks');
    expect(loopback.check('127.0.0.1')).toMatchObject({ allowed: true });
    expect(loopback.check('10.0.0.1')).toMatchObject({ allowed: false });
  });

  it('leaves devices in private networks alone (they give no internal allow-list)', () => {
    const policy = createAddressPolicy(defaults);
    for (const allowed of ['10.0.0.1', '192.168.1.1', 'fd12::1', '100.64.0.1'])
      expect(policy.check(allowed), allowed).toMatchObject({ allowed: true });
    // A NAT64 address is judged by the IPv4 address it reaches for the deny list too.
    expect(policy.check('64:ff9b::169.254.169.254')).toMatchObject({ allowed: false });
  });
});
