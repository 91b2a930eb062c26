import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAddressPolicy, DEFAULT_DENIED_NETWORKS } from '../../platform/address-policy.js';
import { AddressNotAllowed, AddressUnresolved, resolveAllowedAddress } from './resolve-address.js';

const settings = { allowedNetworks: ['0.0.0.0/0', '::/0'], deniedNetworks: DEFAULT_DENIED_NETWORKS };
const bound = { timeoutMs: 5000 };

describe('resolving a device address before connecting', () => {
  it('returns the checked IP address to connect to, never the name', async () => {
    const address = await resolveAllowedAddress(
      'localhost',
      createAddressPolicy({ ...settings, allowLoopback: true }),
      bound,
    );
    expect(isIP(address)).not.toBe(0);
    expect(
      await resolveAllowedAddress(
        '[::ffff:192.0.2.1]',
        createAddressPolicy({ ...settings, allowLoopback: false }),
        bound,
      ),
    ).toBe('192.0.2.1');
  });

  it('refuses names and numeric spellings that resolve to a refused address', async () => {
    const policy = createAddressPolicy({ ...settings, allowLoopback: false });
    await expect(resolveAllowedAddress('localhost', policy, bound)).rejects.toThrow(AddressNotAllowed);
    await expect(resolveAllowedAddress('127.1', policy, bound)).rejects.toMatchObject({
      detail: expect.stringMatching(/devices\.allow_loopback/),
    });
    await expect(resolveAllowedAddress('169.254.169.254', policy, bound)).rejects.toThrow(/devices\.denied_networks/);
  });

  it(
    'does not tell what a name resolved to in the message (tenants read it), only in the detail for the server ' +
      'log',
    async () => {
      const policy = createAddressPolicy({ ...settings, allowLoopback: false });
      const error = await resolveAllowedAddress('127.1', policy, bound).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AddressNotAllowed);
      expect((error as AddressNotAllowed).message).toBe(
        '127.1 resolves to an address that is not in a network devices may be reached at (settings devices.*)',
      );
      expect((error as AddressNotAllowed).detail).toBe(
        '127.1 resolves to 127.0.0.1, and 127.0.0.1 is a loopback address (the server itself), refused unless the ' +
          'setting devices.allow_loopback is true',
      );
    },
  );

  it('does not look a name up once the upgrade is aborted', async () => {
    const policy = createAddressPolicy({ ...settings, allowLoopback: false });
    await expect(
      resolveAllowedAddress('example.invalid', policy, { timeoutMs: 5000, signal: AbortSignal.abort() }),
    ).rejects.toThrow(AddressUnresolved);
  });
});
