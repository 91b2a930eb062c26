import { Type, type Static } from '@sinclair/typebox';
import { orderingQuery } from '../../http/ordering.js';
import { DateTime, Nullable, OrganizationFilterQuery, PaginationQuery, StringEnum, Uuid } from '../../http/schemas.js';
import { invalid } from '../../platform/errors.js';
import { DeviceDto, toDeviceDto, DeviceManagementSchema } from '../devices/devices.schema.js';
import { toOperationErrorCode } from '../upgraders/error-codes.js';
import type { FleetDeviceRow } from './fleet.repository.js';
import {
  BULK_REFUSAL_REASON_NAMES,
  BULK_REFUSAL_REASONS,
  DEFAULT_FLEET_ORDERING,
  type DeviceSelection,
  FLEET_ORDERING_FIELDS,
  type FleetListFilter,
  MAX_BULK_CHANGE_DEVICES,
} from './fleet.service.js';
import { OperationErrorCodeSchema, OperationStatusSchema } from './upgrades.schema.js';
import { OPERATION_STATUS } from './upgrades.table.js';

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

const BuildRef = Type.Object({ id: Uuid, version: Type.String() });

export const FleetDeviceDto = Type.Object(
  {
    ...DeviceDto.properties,
    reachable: Type.Boolean({
      description:
        'Contacted (registration, or a successful SSH connection) within the setting devices.offline_after ' +
        '(default 900 s); a device never seen is not reachable.',
    }),
    last_upgrade: Nullable(
      Type.Object({
        operation: Uuid,
        status: OperationStatusSchema,
        error_code: Nullable(OperationErrorCodeSchema),
        created: DateTime,
        finished_at: Nullable(DateTime),
      }),
      { description: "The device's newest upgrade operation; null if it was never upgraded." },
    ),
    current_build: Nullable(BuildRef, {
      description:
        'The build the device runs: its firmware record when recorded as installed, else the build whose OS ' +
        'identifier is the OS string the device reports; null when unknown.',
    }),
    latest_build: Nullable(BuildRef, {
      description:
        'The newest build (newest first, as the catalog lists builds: created, then version) of the current ' +
        "build's category that has an image for the device's board; the current build when none is newer.",
    }),
    behind_latest: Nullable(Type.Boolean({ description: 'latest_build is not current_build; null when unknown.' })),
  },
  { title: 'FleetDevice' },
);

export function toFleetDeviceDto(row: FleetDeviceRow): Static<typeof FleetDeviceDto> {
  const build = (id: string | null, version: string | null) => (id === null ? null : { id, version: version ?? '' });
  return {
    ...toDeviceDto(row),
    reachable: row.reachable,
    last_upgrade:
      row.lastOperationId === null || row.lastStatus === null || row.lastOperationCreated === null
        ? null
        : {
            operation: row.lastOperationId,
            status: row.lastStatus,
            error_code: row.lastErrorCode === null ? null : toOperationErrorCode(row.lastErrorCode),
            created: row.lastOperationCreated.toISOString(),
            finished_at: row.lastOperationFinished?.toISOString() ?? null,
          },
    current_build: build(row.currentBuildId, row.currentBuildVersion),
    latest_build: build(row.latestBuildId, row.latestBuildVersion),
    behind_latest: row.behindLatest,
  };
}

const LastResultSchema = StringEnum([...Object.values(OPERATION_STATUS), 'none'], {
  title: 'LastUpgradeResult',
  description: "The status of the device's newest upgrade operation, or none for a device never upgraded.",
});

/** The filters of the device list, shared by the list, the id selection and the bulk actions. */
const FilterFields = {
  ...OrganizationFilterQuery,
  group: Type.Optional(Text(64)),
  location: Type.Optional(Text(128, 'Part of the location, any case: "berlin" finds "Berlin Mitte".')),
  model: Type.Optional(Text(128, 'Part of the model, any case: "archer c7" finds "TP-Link Archer C7 v2".')),
  board_name: Type.Optional(Text(128)),
  os: Type.Optional(Text(128, 'Part of the OS string, any case: "23.05.2" finds "OpenWrt 23.05.2 r23630-842932a63d".')),
  is_active: Type.Optional(Type.Boolean()),
  management: Type.Optional(DeviceManagementSchema),
  search: Type.Optional(Text(128, 'Part of the name, MAC address or management address.')),
  reachable: Type.Optional(
    Type.Boolean({ description: 'true: contacted within devices.offline_after; false: not (never seen included).' }),
  ),
  last_result: Type.Optional(LastResultSchema),
  behind_latest: Type.Optional(
    Type.Boolean({
      description:
        'true: runs an older build than the newest of its category; false: runs the newest. Devices whose build is ' +
        'unknown match neither.',
    }),
  ),
};

export const ListFleetQuery = Type.Object({
  ...PaginationQuery,
  ...FilterFields,
  id: Type.Optional(
    Type.Array(Uuid, {
      maxItems: 100,
      description: 'Only these devices (repeat the parameter: ?id=…&id=…), e.g. the page of a dry run shown.',
    }),
  ),
  ordering: orderingQuery(FLEET_ORDERING_FIELDS, DEFAULT_FLEET_ORDERING),
});

export const FleetFilterQuery = Type.Object(FilterFields);
export const FleetFilters = Type.Object(FilterFields, {
  title: 'DeviceFilters',
  description: 'The filters of the device list (GET /api/v1/devices/), as an object.',
});

type FilterInput = Static<typeof FleetFilterQuery> & { id?: string[] | undefined };

/** The list filters of a query or body, as the service takes them. */
export function fleetFilterOf(input: FilterInput): FleetListFilter {
  return {
    organization: input.organization,
    group: input.group,
    location: input.location,
    model: input.model,
    boardName: input.board_name,
    os: input.os,
    isActive: input.is_active,
    management: input.management,
    search: input.search,
    ids: input.id,
    reachable: input.reachable,
    lastResult: input.last_result,
    behindLatest: input.behind_latest,
  };
}

export const DeviceSelectionBody = Type.Object(
  {
    devices: Type.Optional(
      Type.Array(Uuid, {
        minItems: 1,
        maxItems: MAX_BULK_CHANGE_DEVICES,
        description: `The devices, by id (at most ${MAX_BULK_CHANGE_DEVICES}); each must be visible to you, else 404.`,
      }),
    ),
    filters: Type.Optional(FleetFilters),
  },
  {
    title: 'DeviceSelection',
    description:
      'Either `devices` (ids) or `filters` (every device the device list shows with these filters: "all N ' +
      `matching"; at most ${MAX_BULK_CHANGE_DEVICES}, else 400 SelectionTooLarge).`,
  },
);

const BulkRefusalReasonSchema = StringEnum(BULK_REFUSAL_REASON_NAMES, {
  title: 'BulkRefusalReason',
  description: BULK_REFUSAL_REASON_NAMES.map((reason) => `${reason}: ${BULK_REFUSAL_REASONS[reason]}`).join(' '),
});

export const BulkOutcomeDto = Type.Object(
  {
    selected: Type.Integer({ description: 'Devices selected.' }),
    done: Type.Integer({ description: 'Devices acted on (retried, or cancelled).' }),
    refused: Type.Array(
      Type.Object({
        reason: BulkRefusalReasonSchema,
        code: Nullable(Type.String({ description: 'For `refused`: the error code the single action gave.' })),
        count: Type.Integer(),
        detail: Type.String({ description: 'Why (the message of the first device refused so).' }),
        devices: Type.Array(Uuid, { description: 'Up to 20 of these devices.' }),
      }),
      { description: 'The devices left alone, grouped by reason (and error code).' },
    ),
  },
  { title: 'BulkOutcome' },
);

export const FleetSummaryDto = Type.Object(
  {
    total: Type.Integer(),
    active: Type.Integer(),
    reachable: Type.Integer({ description: 'Devices contacted within devices.offline_after.' }),
    offline: Type.Integer({ description: 'total − reachable (never seen included): the list filter reachable=false.' }),
    behind_latest: Type.Integer({ description: 'Devices on an older build than the newest of its category.' }),
    on_latest: Type.Integer({ description: 'Devices on the newest build of their category.' }),
    last_failed: Type.Integer({ description: 'Devices whose newest upgrade failed (last_result=failed).' }),
    last_aborted: Type.Integer({ description: 'Devices whose newest upgrade aborted (last_result=aborted).' }),
    upgrading: Type.Integer({ description: 'Devices with an upgrade pending or in progress.' }),
    by_firmware: Type.Array(Type.Object({ os: Type.String(), count: Type.Integer() })),
    by_model: Type.Array(Type.Object({ model: Type.String(), count: Type.Integer() })),
  },
  { title: 'FleetSummary' },
);

/** The selection a bulk body names: exactly one of `devices` and `filters`, else 400. */
export function deviceSelectionOf(body: Static<typeof DeviceSelectionBody>): DeviceSelection {
  if (body.devices !== undefined && body.filters !== undefined)
    throw invalid('Give either "devices" or "filters", not both.', { devices: 'cannot be combined with filters' });
  if (body.devices !== undefined) return { devices: body.devices };
  if (body.filters !== undefined) return { filters: fleetFilterOf(body.filters) };
  throw invalid('Say which devices: "devices" (ids) or "filters" (the device list filters).', {
    devices: 'This field or filters is required.',
  });
}
