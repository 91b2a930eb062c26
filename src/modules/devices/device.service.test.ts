import { describe, expect, it } from 'vitest';
import { normalizeMac } from './device.service.js';

describe('MAC addresses', () => {
  it.each([
    ['00:11:22:AA:BB:CC', '00:11:22:aa:bb:cc'],
    ['00-11-22-aa-bb-cc', '00:11:22:aa:bb:cc'],
    ['0011.22aa.bbcc', '00:11:22:aa:bb:cc'],
    ['001122AABBCC', '00:11:22:aa:bb:cc'],
  ])('%s → %s', (input, expected) => expect(normalizeMac(input)).toBe(expected));
  it.each(['00:11:22:aa:bb', 'zz:11:22:aa:bb:cc', '00:11:22:aa:bb:cc:dd', ''])('refuses %s', (input) =>
    expect(normalizeMac(input)).toBeNull(),
  );
});
