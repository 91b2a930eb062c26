import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { AddressPolicy } from '../platform/address-policy.js';
import { issueEnrollmentToken } from '../modules/agent/agent-tokens.js';
import type { DeviceRow } from '../modules/devices/devices.table.js';
import { registerDevice } from './register-device.js';

/** What `fleetflash-agent enroll` sends (docs/agent-protocol.md, `POST /agent/v1/enroll`). */
export interface EnrollmentInput {
  organization: string;
  secret: string;
  mac: string;
  board: string;
  model: string;
  release: string;
  /** The release's revision (e.g. r23630-842932a63d), '' when the agent did not send one. */
  revision: string;
  distribution: string;
  bootId: string;
  hostname: string;
  agentVersion: string;
}

/**
 * A router's pull agent enrolls: registered exactly as `POST /api/v1/devices/register/` registers a
 * router (the same secret check, audit entry, firmware link), but managed by its agent from now on,
 * with a new device token (earlier tokens of the device are revoked). Returns the token once.
 */
export async function enrollAgent(
  db: Kysely<Database>,
  input: EnrollmentInput,
  remoteAddress: string,
  addresses: AddressPolicy,
): Promise<{ device: DeviceRow; token: string }> {
  const { device } = await registerDevice(
    db,
    {
      organization: input.organization,
      secret: input.secret,
      macAddress: input.mac,
      ...(input.hostname ? { name: input.hostname } : {}),
      ...(input.model ? { model: input.model } : {}),
      ...(input.board ? { boardName: input.board } : {}),
      // With the revision the OS names a build exactly ("OpenWrt 23.05.2 r23630-…"), so the build it runs is
      // linked and mass upgrades of the category find the router, as with SSH registration.
      os: `${input.distribution || 'OpenWrt'} ${input.release} ${input.revision}`.trim(),
      agent: { version: input.agentVersion, bootId: input.bootId, release: input.release },
    },
    remoteAddress,
    addresses,
  );
  const token = await issueEnrollmentToken(db, device.id);
  return { device, token };
}
