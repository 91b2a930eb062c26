import { AppError, invalid } from '../../platform/errors.js';
import { literalIp, type AddressPolicy } from '../../platform/address-policy.js';

/**
 * The network rule (settings `devices.*`, see platform/address-policy.ts) applied when a device's
 * address is saved. Only literal IP addresses can be judged here: a host name may resolve to
 * anything later, so it is checked again on every connection, after DNS (ssh-session.ts).
 */

/** Numeric forms other than dotted quads ("127.1", "2130706433", "0x7f.0.0.1") resolve to IPv4 addresses too. */
const NUMERIC_HOST = /^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+)){0,3}\.?$/i;

/** Throws 400 when `value` (a device's management address) may not be connected to. */
export function assertDeviceAddressAllowed(policy: AddressPolicy, value: string | null | undefined): void {
  if (value === null || value === undefined || value.trim() === '') return;
  const ip = literalIp(value);
  if (ip === null) {
    if (NUMERIC_HOST.test(value.trim())) {
      throw invalid(
        `"${value}" is not a usable address: write an IPv4 address as four decimal numbers (e.g. 192.0.2.1).`,
        { management_ip: 'write IPv4 addresses as four decimal numbers' },
      );
    }
    return;
  }
  const verdict = policy.check(ip);
  if (!verdict.allowed) {
    throw new AppError(
      'DeviceAddressNotAllowed',
      `Devices may not be reached at ${value}: ${verdict.reason}. Use the device's address on the network ` +
        `fleetflash manages, or ask the server's operator to change the setting.`,
      { management_ip: verdict.reason },
    );
  }
}

/**
 * A registration without `management_ip` stores the address the request came from; refuse it the
 * same way, saying where it came from (behind a reverse proxy it is the proxy's address unless
 * `trust_proxy` is set).
 */
export function assertRegistrationAddressAllowed(
  policy: AddressPolicy,
  managementIp: string | undefined,
  remoteAddress: string,
): void {
  if (managementIp !== undefined) {
    assertDeviceAddressAllowed(policy, managementIp);
    return;
  }
  const verdict = policy.check(remoteAddress);
  if (!verdict.allowed) {
    throw new AppError(
      'DeviceAddressNotAllowed',
      `The registration came from ${remoteAddress}, which devices may not be reached at: ${verdict.reason}. Send ` +
        `the device's address as management_ip (behind a reverse proxy, set trust_proxy so the client's address is ` +
        `seen).`,
      { management_ip: verdict.reason },
    );
  }
}
