import { type Static, Type } from '@sinclair/typebox';
import { StringEnum, Uuid } from '../../http/schemas.js';
import { DRY_RUN_WARNINGS, type DryRunWarning } from './batch-dry-run.js';
import type { Decision } from './batch-decisions.js';
import { SkipDto } from './batch.schema.js';

/** The answer of a mass upgrade's dry run (GET …/upgrade/ and POST …/upgrade/dry-run/). */

export const DryRunModelDto = Type.Object(
  {
    model: Type.String({ description: "The devices' model as they report it (empty when not known)." }),
    board: Type.String({ description: 'Their board name (empty when not known).' }),
    image: Type.Object(
      {
        id: Uuid,
        type: Type.String({ description: "The image's type (its file name in the hardware table)." }),
        label: Type.String({ description: 'The hardware model the image is for.' }),
      },
      { description: 'The image of the build these devices get.' },
    ),
    devices: Type.Integer({ description: 'How many devices of this model get this image.' }),
    downgrades: Type.Integer({
      description:
        'Of these, devices on a newer OpenWrt release than the build: flashing them goes back to an older ' +
        'release (they are upgraded only with allow_downgrade, else skipped as downgrade).',
    }),
  },
  { title: 'MassUpgradeDryRunModel' },
);

export const DryRunWarningDto = Type.Object(
  {
    code: StringEnum(Object.keys(DRY_RUN_WARNINGS) as (keyof typeof DRY_RUN_WARNINGS)[], {
      title: 'MassUpgradeDryRunWarningCode',
    }),
    detail: Type.String(),
    devices: Type.Array(Uuid, { description: 'The devices concerned.' }),
  },
  { title: 'MassUpgradeDryRunWarning' },
);

export const DryRunDto = Type.Object(
  {
    device_firmwares: Type.Array(Uuid, {
      description:
        "Devices running an image of the build's category that would be upgraded (their firmware records are keyed " +
        'by device id).',
    }),
    devices: Type.Array(Uuid, {
      description:
        'Devices not on a build of the category (another category, or no firmware record) that would be upgraded: ' +
        'only with upgrade_all.',
    }),
    skipped: Type.Array(SkipDto, { description: 'Devices that would be skipped, each with the reason.' }),
    in_scope: Type.Integer({ description: 'Devices in scope: device_firmwares + devices + skipped add up to it.' }),
    stages: Type.Array(Type.Integer(), {
      description:
        'Planned stage sizes, stage 0 (the canary) first, with the rollout given (the defaults for the rest): ' +
        'exactly what the launch would plan.',
    }),
    models: Type.Array(DryRunModelDto, {
      description:
        'The devices that would be upgraded, per model and the image each gets (most devices first): the same ' +
        'devices as device_firmwares + devices.',
    }),
    warnings: Type.Array(DryRunWarningDto, {
      description:
        'What the launch would do that needs attention (with the upgrade_options given), e.g. option n on devices ' +
        'managed by their pull agent.',
    }),
  },
  { title: 'MassUpgradeDryRun' },
);

export function toDryRunDto(result: {
  deviceFirmwares: string[];
  devices: string[];
  skipped: Decision[];
  inScope: number;
  stageSizes: number[];
  models: Static<typeof DryRunModelDto>[];
  warnings: DryRunWarning[];
}): Static<typeof DryRunDto> {
  return {
    models: result.models,
    warnings: result.warnings,
    device_firmwares: result.deviceFirmwares,
    devices: result.devices,
    in_scope: result.inScope,
    skipped: result.skipped.map((decision) => ({
      device: decision.deviceId,
      device_name: decision.deviceName,
      reason: decision.skip!.reason,
      detail: decision.skip!.detail,
    })),
    stages: result.stageSizes,
  };
}
