import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Nullable, OrganizationFilterQuery, PaginationQuery, StringEnum, Uuid } from '../../http/schemas.js';
import { type CredentialsRow, DEVICE_MANAGEMENT_MODES, type DeviceRow } from './devices.table.js';

/** How fleetflash reaches a device, as an OpenAPI enum. */
export const DeviceManagementSchema = StringEnum(DEVICE_MANAGEMENT_MODES, {
  title: 'DeviceManagement',
  description: '`ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash.',
});

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

export const DeviceDto = Type.Object(
  {
    id: Uuid,
    organization: Uuid,
    name: Type.String(),
    mac_address: Type.String({ description: 'Lower-case, colon-separated.' }),
    model: Type.String({ description: 'As the router reports it, e.g. "TP-Link Archer C7 v2".' }),
    board_name: Type.String({ description: 'OpenWrt board_name, e.g. "tplink,archer-c7-v2".' }),
    os: Type.String({ description: 'OS string, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa".' }),
    management_ip: Nullable(Type.String(), { description: 'Address (IP or host name) fleetflash connects to.' }),
    ssh_port: Type.Integer(),
    group: Type.String(),
    location: Type.String(),
    is_active: Type.Boolean(),
    last_seen: Nullable(DateTime),
    credentials: Nullable(Uuid, {
      description: "The device's own SSH credentials; null uses the organization's default.",
    }),
    ssh_host_key: Nullable(Type.String(), {
      description: 'Pinned SSH host key fingerprint (set on the first connection).',
    }),
    management: DeviceManagementSchema,
    agent_version: Nullable(Type.String(), { description: "The pull agent's version (agent devices)." }),
    agent_last_poll_at: Nullable(DateTime, { description: "The pull agent's last poll (agent devices)." }),
    agent_release: Nullable(Type.String(), { description: 'The release the pull agent last reported.' }),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'Device' },
);

export function toDeviceDto(row: DeviceRow): Static<typeof DeviceDto> {
  return {
    id: row.id,
    organization: row.organizationId,
    name: row.name,
    mac_address: row.macAddress,
    model: row.model,
    board_name: row.boardName,
    os: row.os,
    management_ip: row.managementIp,
    ssh_port: row.sshPort,
    group: row.groupName,
    location: row.location,
    is_active: row.isActive,
    last_seen: row.lastSeen?.toISOString() ?? null,
    credentials: row.credentialsId,
    ssh_host_key: row.sshHostKey,
    management: row.management,
    agent_version: row.agentVersion,
    agent_last_poll_at: row.agentLastPollAt?.toISOString() ?? null,
    agent_release: row.agentRelease,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

const DeviceFields = {
  name: Type.String({ minLength: 1, maxLength: 128 }),
  mac_address: Type.String({
    minLength: 12,
    maxLength: 17,
    description: 'e.g. 00:11:22:33:44:55 (any common notation).',
  }),
  model: Type.Optional(Text(128)),
  board_name: Type.Optional(Text(128)),
  os: Type.Optional(Text(128)),
  management_ip: Type.Optional(
    Nullable(
      Type.String({
        maxLength: 253,
        description:
          'Address (IP or host name) fleetflash connects to. A literal IP address must be in a network devices may ' +
          'be reached at (settings devices.*), else 400 DeviceAddressNotAllowed; a host name is checked after DNS ' +
          'on each connection.',
      }),
    ),
  ),
  ssh_port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  group: Type.Optional(Text(64)),
  location: Type.Optional(Text(128)),
  is_active: Type.Optional(Type.Boolean()),
  credentials: Type.Optional(Nullable(Uuid)),
};

export const CreateDeviceBody = Type.Object({
  organization: Type.Optional(Uuid),
  ...DeviceFields,
});
export const ReplaceDeviceBody = CreateDeviceBody;
export const UpdateDeviceBody = Type.Partial(CreateDeviceBody);

export const RegisterDeviceBody = Type.Object({
  organization: Type.String({ minLength: 1, maxLength: 64, description: 'Organization slug.' }),
  secret: Type.String({ minLength: 1, maxLength: 200, description: "The organization's registration secret." }),
  mac_address: Type.String({ minLength: 12, maxLength: 17 }),
  name: Type.Optional(
    Type.String({ minLength: 1, maxLength: 128, description: 'Defaults to the MAC address for a new device.' }),
  ),
  model: Type.Optional(Text(128)),
  board_name: Type.Optional(Text(128)),
  os: Type.Optional(Text(128)),
  management_ip: Type.Optional(
    Type.String({
      maxLength: 253,
      description:
        'Defaults to the address the request came from. A literal IP address must be in a network devices may be ' +
        'reached at (settings devices.*), else 400 DeviceAddressNotAllowed; a host name is checked after DNS on ' +
        'each connection.',
    }),
  ),
  ssh_port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
});

export const RegisteredDeviceDto = Type.Object(
  {
    id: Uuid,
    created: Type.Boolean({ description: 'Whether this registration created the device.' }),
    name: Type.String(),
    os: Type.String(),
  },
  { title: 'RegisteredDevice' },
);

// Credentials

export const CredentialsDto = Type.Object(
  {
    id: Uuid,
    organization: Uuid,
    name: Type.String(),
    username: Type.String(),
    auth: Type.Union([Type.Literal('password'), Type.Literal('private-key'), Type.Literal('private-key+password')], {
      description: 'Which secrets are stored (never the secrets themselves).',
    }),
    has_passphrase: Type.Boolean(),
    is_default: Type.Boolean({
      description: "Used by the organization's devices that have no credentials of their own.",
    }),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'Credentials' },
);

export function toCredentialsDto(row: CredentialsRow): Static<typeof CredentialsDto> {
  const auth = row.privateKeyEncrypted ? (row.passwordEncrypted ? 'private-key+password' : 'private-key') : 'password';
  return {
    id: row.id,
    organization: row.organizationId,
    name: row.name,
    username: row.username,
    auth,
    has_passphrase: row.passphraseEncrypted !== null,
    is_default: row.isDefault,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

const Secret = (description: string) =>
  Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 16384 }), { description }));

export const CreateCredentialsBody = Type.Object({
  organization: Type.Optional(Uuid),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Secret('Write-only.'),
  private_key: Secret('OpenSSH or PEM private key. Write-only.'),
  passphrase: Secret('Passphrase of the private key. Write-only.'),
  is_default: Type.Optional(Type.Boolean()),
});
export const UpdateCredentialsBody = Type.Partial(CreateCredentialsBody);
export const ListCredentialsQuery = Type.Object({ ...PaginationQuery, ...OrganizationFilterQuery });
