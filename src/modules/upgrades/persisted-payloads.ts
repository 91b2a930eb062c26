import { Type } from '@sinclair/typebox';
import { persistedPayload } from '../../platform/persisted-payload.js';

// Shapes, not ranges: the ranges were checked when the request was accepted.
const Count = Type.Integer();
const Percent = Type.Number();
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * JSON the upgrade worker reads back from rows, checked before use: an operation's upgrader
 * options (upgrade_operations.options) and a mass upgrade's rollout policy
 * (batch_upgrade_operations.rollout), as `normalizeRollout` wrote it.
 */
export const checkStoredOptions = persistedPayload('upgrade options', Type.Record(Type.String(), Type.Boolean()));

export const checkStoredRollout = persistedPayload(
  'rollout policy',
  Type.Object({
    canary_count: Nullable(Count),
    canary_percent: Nullable(Percent),
    stage_factor: Nullable(Type.Number()),
    stage_sizes: Nullable(Type.Array(Count)),
    success_gate_percent: Percent,
    failure_threshold_percent: Percent,
    failure_threshold_min_decided: Count,
    bake_seconds: Type.Number(),
    max_concurrent: Count,
    start_at: Nullable(Type.String()),
  }),
);

/**
 * The health check an upgrade runs after proof of boot (upgrade_operations.health_check and
 * batch_upgrade_operations.health_check): the copy taken when it was requested, or null for none.
 */
export const checkStoredHealthCheck = persistedPayload(
  'health check',
  Nullable(
    Type.Object({
      id: Nullable(Type.String()),
      name: Type.String(),
      probes: Type.Array(Type.Object({ name: Type.String(), command: Type.String(), timeout_seconds: Count })),
    }),
  ),
);
