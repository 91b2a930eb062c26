import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';

/** How fleetflash reaches a device: a closed set, exported as an OpenAPI enum. */
export const DEVICE_MANAGEMENT_MODES = ['ssh', 'agent'] as const;
export type DeviceManagement = (typeof DEVICE_MANAGEMENT_MODES)[number];

export interface DevicesTable {
  id: Generated<string>;
  organizationId: string;
  name: string;
  /** Lower-case, colon-separated: aa:bb:cc:dd:ee:ff. */
  macAddress: string;
  model: Generated<string>;
  boardName: Generated<string>;
  os: Generated<string>;
  managementIp: string | null;
  sshPort: Generated<number>;
  groupName: Generated<string>;
  location: Generated<string>;
  isActive: Generated<boolean>;
  lastSeen: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the reachability check last tried an SSH connection, reached or not (it orders the check's queue). */
  contactCheckedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  credentialsId: string | null;
  /** SHA-256 fingerprint of the pinned SSH host key ("SHA256:…"). */
  sshHostKey: string | null;
  /** `ssh`: the server connects to the device; `agent`: the device's pull agent polls the server. */
  management: Generated<DeviceManagement>;
  /** The pull agent's version, boot id and release, as its last poll (or enrollment) reported them. */
  agentVersion: string | null;
  agentLastPollAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  agentBootId: string | null;
  agentRelease: string | null;
  created: Timestamp;
  modified: Timestamp;
}

export interface CredentialsTable {
  id: Generated<string>;
  organizationId: string;
  name: string;
  username: string;
  passwordEncrypted: string | null;
  privateKeyEncrypted: string | null;
  passphraseEncrypted: string | null;
  isDefault: Generated<boolean>;
  created: Timestamp;
  modified: Timestamp;
}

export type DeviceRow = Selectable<DevicesTable>;
export type NewDeviceRow = Insertable<DevicesTable>;
export type DeviceUpdate = Updateable<DevicesTable>;
export type CredentialsRow = Selectable<CredentialsTable>;
export type NewCredentialsRow = Insertable<CredentialsTable>;
export type CredentialsUpdate = Updateable<CredentialsTable>;
