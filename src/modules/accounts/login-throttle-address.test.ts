import { describe, expect, it } from 'vitest';
import { throttleAddressKey, throttleClientAddress } from './login-throttle-address.js';

describe('the address a login-throttle budget is kept for', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(throttleAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleClientAddress('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(throttleAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleAddressKey('::FFFF:cb00:7107')).toBe('203.0.113.7');
    expect(throttleClientAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('puts every IPv6 address of one /64 under one key, however it is written', () => {
    const key = throttleAddressKey('2001:db8:0:1::1');
    expect(key).toBe('2001:db8:0:1::/64');
    for (const address of [
      '2001:db8:0:1:ffff:ffff:ffff:ffff',
      '2001:0DB8:0000:0001:1234:5678:9abc:def0',
      '[2001:db8:0:1::2]',
      '2001:db8:0:1::1%eth0',
      '2001:db8:0:1::192.0.2.1',
    ]) {
      expect(throttleAddressKey(address), address).toBe(key);
    }
    expect(throttleAddressKey('2001:db8:0:2::1')).toBe('2001:db8:0:2::/64');
    expect(throttleAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(throttleAddressKey('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('keeps the full IPv6 address for the budget of one username', () => {
    expect(throttleClientAddress('2001:DB8:0:1::1')).toBe('2001:db8:0:1::1');
  });
});
