import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Nullable, OrganizationFilterQuery, PaginationQuery, StringEnum, Uuid } from '../../http/schemas.js';
import { ProbeSchema } from '../health-checks/health-checks.schema.js';
import { storedHealthCheckOf } from './health-check-to-run.js';
import { BACKUP_MODE_NAMES, BACKUP_MODES } from '../upgraders/backup-modes.js';
import { OPERATION_ERROR_CODE_NAMES, OPERATION_ERROR_CODES, toOperationErrorCode } from '../upgraders/error-codes.js';
import { SYSUPGRADE_OPTIONS } from '../upgraders/openwrt/sysupgrade-options.js';
import type { OperationWithDevice } from './operation.repository.js';
import {
  canRetryOperation,
  isOperationFinished,
  OPERATION_KINDS,
  OPERATION_STATUS,
  type DeviceFirmwareRow,
  type OperationLogRow,
  type OperationRow,
} from './upgrades.table.js';

export const OperationStatusSchema = StringEnum(Object.values(OPERATION_STATUS), {
  title: 'OperationStatus',
  description:
    'pending (queued or waiting for a retry), in-progress, then one of success, failed, ' +
    'aborted (device untouched), cancelled.',
});

export const OperationErrorCodeSchema = StringEnum(OPERATION_ERROR_CODE_NAMES, {
  title: 'OperationErrorCode',
  description: `Why an operation ended (or why its last attempt failed). ${OPERATION_ERROR_CODE_NAMES.map(
    (code) => `${code}: ${OPERATION_ERROR_CODES[code]}`,
  ).join(' ')}`,
});

/** The `error_code` filter of operation lists: failed and aborted ones are grouped by it. */
export const ErrorCodeFilter = StringEnum(OPERATION_ERROR_CODE_NAMES, {
  description:
    'Only operations whose error_code is this (the reason a failed or aborted one ended, or why the last attempt ' +
    'of a pending one failed). One of the OperationErrorCode values.',
});

/** A failure group: the failed and aborted operations that ended for a reason, as failure_reasons count them. */
export const FailureReasonFilter = StringEnum(OPERATION_ERROR_CODE_NAMES, {
  description:
    "Only the failed and aborted operations that ended for this reason: one group of the mass upgrade's " +
    'failure_reasons (a pending operation waiting after the code is not in it). One of the OperationErrorCode values.',
});

const SYSUPGRADE_FLAGS = SYSUPGRADE_OPTIONS.map(
  (option) => `${option.key} = ${option.label}${option.dangerous ? ' (dangerous)' : ''}`,
).join('; ');

export const UpgradeOptionsSchema = Type.Record(Type.String(), Nullable(Type.Boolean()), {
  description:
    `Upgrader options. OpenWrt (sysupgrade flags): ${SYSUPGRADE_FLAGS}. ` +
    'c is on unless n is chosen; n cannot be combined with c or o.',
  examples: [{ c: true }, { n: true, F: false }],
});

export const WaitingForWindowDto = Type.Object(
  {
    window: Uuid,
    name: Type.String(),
    time_zone: Type.String(),
    opens_at: Nullable(DateTime, {
      description: 'Its next opening; null when none of its periods in the coming week is longer than the margin.',
    }),
  },
  { title: 'WaitingForWindow' },
);
export const BackupModeSchema = StringEnum(BACKUP_MODE_NAMES, {
  title: 'BackupMode',
  description: `The configuration backup before flashing (default required). ${BACKUP_MODE_NAMES.map(
    (mode) => `${mode}: ${BACKUP_MODES[mode]}`,
  ).join(' ')}`,
});

/** A launch's or an upgrade's health check: an id, null for none; left out, the category's default. */
export const HealthCheckChoice = Type.Union([Uuid, Type.Null()], {
  description:
    "A health check (of the devices' organization) to run after proof of boot; null: none. Left out: the " +
    "default of the build's category, if it has one.",
});

/** The copy of the health check an upgrade runs (null: none). */
export const OperationHealthCheckSchema = Nullable(
  Type.Object(
    {
      id: Nullable(Uuid, { description: 'The health check it was copied from (null if that was deleted).' }),
      name: Type.String(),
      probes: Type.Array(ProbeSchema),
    },
    { title: 'OperationHealthCheck' },
  ),
  { description: 'The health check run after proof of boot, as it was when the upgrade was requested.' },
);

export const OperationKindSchema = StringEnum(OPERATION_KINDS, {
  title: 'OperationKind',
  description:
    'upgrade: installs an image. restore: puts a configuration backup back (sysupgrade -r, a reboot, proof of boot ' +
    "on the same release); its image is null and image_sha256 is the archive's.",
});

export const OperationDto = Type.Object(
  {
    id: Uuid,
    kind: OperationKindSchema,
    device: Uuid,
    device_name: Type.String(),
    organization: Uuid,
    image: Nullable(Uuid, { description: 'Null if the image was deleted since.' }),
    image_sha256: Type.String(),
    status: OperationStatusSchema,
    finished: Type.Boolean({ description: 'The status is final (success, failed, aborted, cancelled).' }),
    can_retry: Type.Boolean({
      description: 'The operation can be retried (POST .../retry/): its status is failed, aborted or cancelled.',
    }),
    progress: Type.Integer({ minimum: 0, maximum: 100 }),
    options: Type.Record(Type.String(), Type.Boolean()),
    backup: BackupModeSchema,
    health_check: OperationHealthCheckSchema,
    restored_backup: Nullable(Uuid, { description: 'A restore: the backup it puts back (null once deleted).' }),
    attempt: Type.Integer({ description: 'Attempts made so far.' }),
    next_attempt_at: Nullable(DateTime, { description: 'When a pending operation will be tried (again).' }),
    error_code: Nullable(OperationErrorCodeSchema),
    flash_started: Type.Boolean({ description: 'The flash command was sent: cancelling is no longer possible.' }),
    retry_of: Nullable(Uuid),
    batch: Nullable(Uuid, { description: 'The mass upgrade it belongs to, if any.' }),
    stage: Type.Integer({ description: 'Its stage in the mass upgrade (0 = canary; 0 for single upgrades).' }),
    ignore_maintenance_window: Type.Boolean({
      description: "A single upgrade started regardless of the device's maintenance window.",
    }),
    waiting_for_window: Nullable(WaitingForWindowDto, {
      description:
        'Pending because its maintenance window is closed (or closes within window_end_margin): which window and ' +
        'when it opens (also next_attempt_at). Such waits do not count as attempts.',
    }),
    started_at: Nullable(DateTime),
    finished_at: Nullable(DateTime),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'UpgradeOperation' },
);

export const LogLineDto = Type.Object(
  {
    seq: Type.Integer(),
    at: DateTime,
    level: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('error')]),
    message: Type.String(),
  },
  { title: 'LogLine' },
);

export const OperationDetailDto = Type.Object(
  {
    ...OperationDto.properties,
    log: Type.String({ description: 'The whole log as text, one line per entry.' }),
    log_lines: Type.Array(LogLineDto),
  },
  { title: 'UpgradeOperationDetail' },
);

export function toOperationDto(row: OperationWithDevice): Static<typeof OperationDto> {
  return {
    id: row.id,
    kind: row.kind,
    device: row.deviceId,
    device_name: row.deviceName,
    organization: row.organizationId,
    image: row.imageId,
    image_sha256: row.imageSha256,
    status: row.status,
    finished: isOperationFinished(row.status),
    can_retry: canRetryOperation(row.status),
    progress: row.progress,
    options: row.options,
    backup: row.backupMode,
    health_check: storedHealthCheckOf(row.healthCheck),
    restored_backup: row.backupId,
    attempt: row.attempt,
    next_attempt_at: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    error_code: row.errorCode === null ? null : toOperationErrorCode(row.errorCode),
    flash_started: row.flashStartedAt !== null,
    retry_of: row.retryOf,
    batch: row.batchId,
    stage: row.stage,
    ignore_maintenance_window: row.ignoreMaintenanceWindow,
    waiting_for_window:
      row.status === 'pending' && row.waitingWindowId !== null
        ? {
            window: row.waitingWindowId,
            name: row.waitingWindowName ?? '',
            time_zone: row.waitingWindowTimeZone ?? '',
            opens_at: row.windowOpensAt?.toISOString() ?? null,
          }
        : null,
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

export function toLogLineDto(line: OperationLogRow): Static<typeof LogLineDto> {
  return { seq: line.seq, at: line.at.toISOString(), level: line.level, message: line.message };
}

export function toOperationDetailDto(
  row: OperationWithDevice,
  lines: OperationLogRow[],
): Static<typeof OperationDetailDto> {
  return {
    ...toOperationDto(row),
    log: lines.map((line) => line.message).join('\n'),
    log_lines: lines.map(toLogLineDto),
  };
}

export const ListOperationsQuery = Type.Object({
  ...PaginationQuery,
  ...OrganizationFilterQuery,
  device: Type.Optional(Uuid),
  image: Type.Optional(Uuid),
  status: Type.Optional(OperationStatusSchema),
  error_code: Type.Optional(ErrorCodeFilter),
});

export const LogQuery = Type.Object({
  after: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'Only lines after this sequence number (for following a running upgrade).',
    }),
  ),
});

// Device firmware

export const DeviceFirmwareDto = Type.Object(
  {
    device: Uuid,
    image: Uuid,
    installed: Type.Boolean({
      description: 'true once the device proved it runs this image; false while an upgrade to it is pending or failed.',
    }),
    created: DateTime,
    modified: DateTime,
    upgrade_operation: Nullable(
      Type.Object({
        id: Uuid,
        status: OperationStatusSchema,
        finished: Type.Boolean({ description: 'The status is final (as in UpgradeOperation).' }),
        progress: Type.Integer(),
      }),
      {
        description: "The operation started by this request (PUT/PATCH), or the device's latest one (GET).",
      },
    ),
  },
  { title: 'DeviceFirmware' },
);

export function toDeviceFirmwareDto(
  record: DeviceFirmwareRow,
  operation: OperationRow | undefined,
): Static<typeof DeviceFirmwareDto> {
  return {
    device: record.deviceId,
    image: record.imageId,
    installed: record.installed,
    created: record.created.toISOString(),
    modified: record.modified.toISOString(),
    upgrade_operation: operation
      ? {
          id: operation.id,
          status: operation.status,
          finished: isOperationFinished(operation.status),
          progress: operation.progress,
        }
      : null,
  };
}

export const SetDeviceFirmwareBody = Type.Object({
  image: Uuid,
  installed: Type.Optional(
    Type.Boolean({
      description:
        'Leave out to upgrade when the image differs from the installed one. false: upgrade even if it is ' +
        'installed. true: only record that the device runs this image (no upgrade).',
    }),
  ),
  upgrade_options: Type.Optional(UpgradeOptionsSchema),
  ignore_maintenance_window: Type.Optional(
    Type.Boolean({
      description:
        "Start the upgrade now even if the device's maintenance window is closed (an admin's explicit choice; " +
        'recorded on the operation and in the audit log).',
    }),
  ),
  backup: Type.Optional(BackupModeSchema),
  health_check: Type.Optional(HealthCheckChoice),
});
export const PatchDeviceFirmwareBody = Type.Partial(SetDeviceFirmwareBody);

export const UpgradeOptionDefinitionDto = Type.Object(
  {
    key: Type.String(),
    label: Type.String(),
    description: Type.String(),
    default: Type.Boolean(),
    dangerous: Type.Boolean(),
  },
  { title: 'UpgradeOptionDefinition' },
);
