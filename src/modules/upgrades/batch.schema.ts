import { Type, type TInteger, type TObject, type TOptional } from '@sinclair/typebox';
import { DateTime, Nullable, OrganizationFilterQuery, PaginationQuery, StringEnum, Uuid } from '../../http/schemas.js';
import { SKIP_REASON_NAMES, SKIP_REASONS, type SkipReason } from './skip-reasons.js';
import { ROLLOUT_DEFAULTS } from './rollout-policy.js';
import { OPERATION_ERROR_CODE_NAMES, type OperationErrorCode } from '../upgraders/error-codes.js';
import { orderingQuery } from '../../http/ordering.js';
import {
  ErrorCodeFilter,
  FailureReasonFilter,
  OperationStatusSchema,
  UpgradeOptionsSchema,
  BackupModeSchema,
  HealthCheckChoice,
  OperationHealthCheckSchema,
} from './upgrades.schema.js';
import { DEFAULT_OPERATION_ORDERING, OPERATION_ORDERING_FIELDS } from './operation.service.js';
import { BATCH_STATUSES, PAUSE_REASONS } from './upgrades.table.js';

export const BatchStatusSchema = StringEnum(BATCH_STATUSES, {
  title: 'BatchStatus',
  description:
    'scheduled (waits for start_at), in-progress, paused (by a person, the failure threshold or a stage gate), then ' +
    'success, failed ("completed with failures") or cancelled.',
});

const percent = (description: string) => Type.Number({ minimum: 0, maximum: 100, description });

export const RolloutSchema = Type.Object(
  {
    canary_count: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Devices in the first stage (the canary).' }),
    ),
    canary_percent: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 100,
        description:
          `Share of the devices in the canary. Default: ${ROLLOUT_DEFAULTS.canaryPercent} %, at ` +
          `least ${ROLLOUT_DEFAULTS.canaryMinimum} devices.`,
      }),
    ),
    stage_factor: Type.Optional(
      Type.Number({
        minimum: 1.1,
        maximum: 100,
        description:
          `Each stage after the canary is this many times bigger than the one before ` +
          `(default ${ROLLOUT_DEFAULTS.stageFactor}).`,
      }),
    ),
    stage_sizes: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        minItems: 1,
        maxItems: 500,
        description: 'Explicit sizes of the stages after the canary; the last stage takes whatever remains.',
      }),
    ),
    success_gate_percent: Type.Optional(
      percent(
        `A stage is followed by the next only when this share of its decided devices succeeded ` +
          `(default ${ROLLOUT_DEFAULTS.successGatePercent}).`,
      ),
    ),
    failure_threshold_percent: Type.Optional(
      percent(
        `The rollout pauses itself when failed ÷ decided devices goes above this ` +
          `(default ${ROLLOUT_DEFAULTS.failureThresholdPercent})…`,
      ),
    ),
    failure_threshold_min_decided: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description:
          `…once at least this many devices are decided ` + `(default ${ROLLOUT_DEFAULTS.failureThresholdMinDecided}).`,
      }),
    ),
    bake_seconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 30 * 24 * 3600,
        description: 'Wait this long after a stage is decided before the next one starts (default 0).',
      }),
    ),
    max_concurrent: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100_000,
        description: 'Devices of this batch upgrading at once (default: setting rollout_max_concurrent).',
      }),
    ),
    start_at: Type.Optional(
      Type.String({ format: 'date-time', description: 'Start later: the batch is "scheduled" until then.' }),
    ),
  },
  { title: 'RolloutPolicy' },
);

const FilterFields = {
  group: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Only devices of this group.' })),
  location: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Only devices at this location.' })),
  organization: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        'Only devices of this organization (id or slug); required for a shared build when you administer several.',
    }),
  ),
};

const PlanFields = {
  devices: Type.Optional(
    Type.Array(Uuid, {
      minItems: 1,
      maxItems: 10_000,
      description:
        'Only these devices (a selection of the device list; at most 10,000), within the other filters. The batch ' +
        'keeps the selection (selected_devices).',
    }),
  ),
  upgrade_all: Type.Optional(
    Type.Boolean({
      default: false,
      description:
        'Also upgrade devices not on a build of this category (another category, or no firmware record) whose board ' +
        'fits an image of the build. Without it they are skipped as not-in-category.',
    }),
  ),
  ...FilterFields,
  allow_downgrade: Type.Optional(
    Type.Boolean({
      default: false,
      description:
        'Also flash devices that run a newer OpenWrt release than the build (else they are skipped as downgrade).',
    }),
  ),
};

export const DryRunQuery = Type.Object(PlanFields);

export const DryRunBody = Type.Object(
  {
    ...PlanFields,
    rollout: Type.Optional(RolloutSchema),
    upgrade_options: Type.Optional(UpgradeOptionsSchema),
  },
  { title: 'MassUpgradeDryRunRequest' },
);

export const LaunchBody = Type.Object({
  ...PlanFields,
  upgrade_options: Type.Optional(UpgradeOptionsSchema),
  backup: Type.Optional(BackupModeSchema),
  rollout: Type.Optional(RolloutSchema),
  wait_for_offline: Type.Optional(
    Type.Boolean({
      description:
        'Devices that cannot be reached stay pending and are tried again (with backoff, and as soon as they ' +
        'register) until the deadline.',
    }),
  ),
  offline_deadline_seconds: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 366 * 24 * 3600,
      description: 'How long to wait for offline devices, from the start (default: setting offline_deadline, 7 days).',
    }),
  ),
  maintenance_window: Type.Optional(
    Type.String({
      format: 'uuid',
      description:
        "A maintenance window of the devices' organization for every device of this batch, overriding their own " +
        '(by group or location): each operation starts only while it is open.',
    }),
  ),
  health_check: Type.Optional(HealthCheckChoice),
});

export const SkipReasonSchema = StringEnum(SKIP_REASON_NAMES, {
  title: 'SkipReason',
  description: SKIP_REASON_NAMES.map((reason) => {
    const { text, failure } = SKIP_REASONS[reason];
    return `${reason}: ${text}${failure ? ' (counts as a failure)' : ' (not a failure)'}`;
  }).join(' '),
});

export const SkipDto = Type.Object(
  {
    device: Uuid,
    device_name: Type.String(),
    reason: SkipReasonSchema,
    detail: Type.String(),
  },
  { title: 'SkippedDevice' },
);

const CountsDto = Type.Object({
  operations: Type.Integer(),
  skipped: Type.Integer(),
  pending: Type.Integer(),
  in_progress: Type.Integer(),
  waiting_offline: Type.Integer({ description: 'Pending because the device is offline and the batch waits for it.' }),
  waiting_for_window: Type.Integer({
    description: 'Pending because its maintenance window is closed (part of pending; not holding up stage gates).',
  }),
  success: Type.Integer(),
  failed: Type.Integer(),
  aborted: Type.Integer(),
  cancelled: Type.Integer(),
  decided: Type.Integer(),
});

export const BatchDto = Type.Object(
  {
    id: Uuid,
    build: Nullable(Uuid, { description: 'Null if the build was deleted since.' }),
    build_version: Type.String(),
    organization: Nullable(Uuid, {
      description: 'Null: devices of every organization (shared build, launched by a superuser).',
    }),
    status: BatchStatusSchema,
    finished: Type.Boolean({
      description: 'The status is final (success, failed, cancelled); false while scheduled, in-progress or paused.',
    }),
    actions: Type.Object(
      {
        pause: Type.Boolean(),
        resume: Type.Boolean(),
        cancel: Type.Boolean(),
        retry_failed: Type.Boolean({
          description:
            'Started, with failed or aborted operations. The retry may still find none it can start ' +
            '(their image deleted, or their devices busy with another upgrade): then 409.',
        }),
      },
      {
        description:
          'Which controls the mass upgrade offers in its state (the server refuses the others with 409 ' +
          'BatchStateConflict): a client shows these rather than deciding from the status itself.',
      },
    ),
    pause_reason: Nullable(
      StringEnum(PAUSE_REASONS, {
        title: 'PauseReason',
        description: 'Why a paused batch paused.',
      }),
    ),
    pause_detail: Nullable(Type.String()),
    upgrade_all: Type.Boolean(),
    selected_devices: Nullable(Type.Integer(), {
      description: 'Launched for a selection of devices (the plan field devices): how many; null for filters alone.',
    }),
    group: Nullable(Type.String()),
    location: Nullable(Type.String()),
    upgrade_options: Type.Record(Type.String(), Type.Boolean()),
    backup: BackupModeSchema,
    rollout: Nullable(
      Type.Object({
        canary_count: Nullable(Type.Integer()),
        canary_percent: Nullable(Type.Number()),
        stage_factor: Nullable(Type.Number()),
        stage_sizes: Nullable(Type.Array(Type.Integer())),
        success_gate_percent: Type.Number(),
        failure_threshold_percent: Type.Number(),
        failure_threshold_min_decided: Type.Integer(),
        bake_seconds: Type.Integer(),
        max_concurrent: Type.Integer(),
        start_at: Nullable(DateTime),
      }),
      {
        description:
          'The stored rollout policy (every field filled in). Null when this version cannot read the stored ' +
          'policy (another version wrote it, or it was edited): such a batch pauses with pause_reason ' +
          'policy-unreadable and pause_detail saying what is wrong; cancel it and launch again.',
      },
    ),
    stages: Type.Array(
      Type.Object({
        stage: Type.Integer({
          description:
            "The stage number, 0-based (0 = the canary), as in current_stage, operations' stage and every log line.",
        }),
        size: Type.Integer(),
        success: Type.Integer(),
        failed: Type.Integer(),
        aborted: Type.Integer(),
        cancelled: Type.Integer(),
        open: Type.Integer(),
        waiting_offline: Type.Integer(),
        waiting_for_window: Type.Integer(),
      }),
      { description: 'Per stage (canary first): devices and their outcomes.' },
    ),
    current_stage: Type.Integer({ description: 'The newest stage released, 0-based (0 = the canary).' }),
    wait_for_offline: Type.Boolean(),
    offline_deadline: Nullable(DateTime),
    maintenance_window: Nullable(Uuid, {
      description: "The batch's own maintenance window (overriding its devices' windows), if it names one.",
    }),
    health_check: OperationHealthCheckSchema,
    total_operations: Type.Integer(),
    counts: CountsDto,
    skip_reasons: Type.Object(
      Object.fromEntries(SKIP_REASON_NAMES.map((reason) => [reason, Type.Optional(Type.Integer())])),
      {
        description: 'Skipped devices per reason (see SkipReason); reasons without skips are left out.',
      },
    ) as TObject<{ [reason in SkipReason]: TOptional<TInteger> }>,
    failure_reasons: Type.Object(
      Object.fromEntries(OPERATION_ERROR_CODE_NAMES.map((code) => [code, Type.Optional(Type.Integer())])),
      {
        description:
          'Failed and aborted operations per error code (see OperationErrorCode; a retried operation counts as ' +
          'its retry); codes without failures are left out. Retry one group with POST …/retry-failed/?error_code=, ' +
          'list exactly its operations with GET …/operations/?failure_reason=.',
      },
    ) as TObject<{ [code in OperationErrorCode]: TOptional<TInteger> }>,
    progress: Type.Integer({ minimum: 0, maximum: 100, description: 'Decided ÷ operations, in percent.' }),
    progress_report: Type.String({ description: '"X out of Y": decided operations out of all.' }),
    success_rate: Type.Number(),
    failed_rate: Type.Number(),
    aborted_rate: Type.Number(),
    cancelled_rate: Type.Number(),
    created_by: Nullable(Uuid),
    start_at: Nullable(DateTime),
    started_at: Nullable(DateTime),
    finished_at: Nullable(DateTime),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'MassUpgrade' },
);

export const ListBatchesQuery = Type.Object({
  ...PaginationQuery,
  ...OrganizationFilterQuery,
  build: Type.Optional(Uuid),
  status: Type.Optional(BatchStatusSchema),
  finished: Type.Optional(
    Type.Boolean({
      description:
        'true: only finished mass upgrades (success, failed, cancelled); false: only running ones (scheduled, ' +
        'in-progress, paused), as the field finished says.',
    }),
  ),
  created_from: Type.Optional(
    Type.String({ format: 'date-time', description: 'Only mass upgrades created at or after this instant.' }),
  ),
  created_to: Type.Optional(
    Type.String({ format: 'date-time', description: 'Only mass upgrades created before this instant.' }),
  ),
});

export const BatchOperationsQuery = Type.Object({
  ...PaginationQuery,
  status: Type.Optional(OperationStatusSchema),
  stage: Type.Optional(Type.Integer({ minimum: 0, description: '0-based stage index.' })),
  search: Type.Optional(Type.String({ maxLength: 128, description: 'Device name contains.' })),
  error_code: Type.Optional(ErrorCodeFilter),
  failure_reason: Type.Optional(FailureReasonFilter),
  ordering: orderingQuery(OPERATION_ORDERING_FIELDS, DEFAULT_OPERATION_ORDERING),
});

/** Without error_code, every failed and aborted operation is retried. */
export const RetryFailedQuery = Type.Object({
  error_code: Type.Optional(FailureReasonFilter),
});

export const BatchSkipsQuery = Type.Object({
  ...PaginationQuery,
  reason: Type.Optional(SkipReasonSchema),
});
