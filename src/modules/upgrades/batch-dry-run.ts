import type { Config } from '../../platform/config.js';
import type { Db } from '../../database.js';
import type { Actor } from '../accounts/actor.js';
import { getBuild } from '../firmware/build.service.js';
import { imageNamesOfBuild } from '../firmware/image.service.js';
import type { UpgraderRegistry } from '../upgraders/registry.js';
import type { Decision, PlannedDecision } from './batch-decisions.js';
import { planBatch, type PlanInput } from './batch-plan.js';

/**
 * The dry run of a mass upgrade: the plan a launch with the same input would make (batch-plan.ts),
 * told as an operator reads it before launching: the devices, the skips with their reasons, the
 * stages, and per model which image it gets and how many of those devices would go back to an
 * older release.
 */

export interface DryRun {
  /** Devices running an image of the build's category that would be upgraded. */
  deviceFirmwares: string[];
  /**
   * Devices not on the build's category (another one, or no firmware record) that would be upgraded: only with
   * upgrade_all.
   */
  devices: string[];
  skipped: Decision[];
  /** Devices in scope: the three lists above add up to it. */
  inScope: number;
  stageSizes: number[];
  /** The devices to upgrade per model and image, most devices first. */
  models: DryRunModel[];
  /** What the launch would do that an operator should know before launching. */
  warnings: DryRunWarning[];
}

/** Warnings of a dry run: a closed set, exported as an OpenAPI enum. */
export const DRY_RUN_WARNINGS = {
  'agent-settings-discarded':
    'Option n (discard settings) on devices managed by their pull agent: the agent, its token and its service are ' +
    'settings, so such a device comes back only if the image embeds the agent and its enrollment.',
} as const;
export type DryRunWarningCode = keyof typeof DRY_RUN_WARNINGS;

export interface DryRunWarning {
  code: DryRunWarningCode;
  detail: string;
  /** The devices concerned. */
  devices: string[];
}

function warningsOf(chosen: readonly PlannedDecision[], options: Record<string, unknown> | undefined): DryRunWarning[] {
  if (options?.n !== true) return [];
  const agents = chosen.filter((decision) => decision.management === 'agent').map((decision) => decision.deviceId);
  if (agents.length === 0) return [];
  const code = 'agent-settings-discarded';
  return [{ code, detail: `${agents.length} device(s): ${DRY_RUN_WARNINGS[code]}`, devices: agents }];
}

export interface DryRunModel {
  model: string;
  board: string;
  image: { id: string; type: string; label: string };
  devices: number;
  /** Of these, devices on a newer release than the build. */
  downgrades: number;
}

function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** The devices a plan upgrades, grouped by model, board and the image each gets. */
async function modelsOf(db: Db, buildId: string, chosen: readonly PlannedDecision[]): Promise<DryRunModel[]> {
  const images = await imageNamesOfBuild(db, buildId);
  // A plan may hold 100,000 devices: maps by image, model and board, whose texts devices of a kind share
  // (each hashed once), rather than a key joined anew for every device.
  const groups = new Map<string, Map<string, Map<string, DryRunModel>>>();
  const all: DryRunModel[] = [];
  for (const decision of chosen) {
    const ofImage = entryOf(groups, decision.imageId, () => new Map<string, Map<string, DryRunModel>>());
    const ofModel = entryOf(ofImage, decision.model, () => new Map<string, DryRunModel>());
    let group = ofModel.get(decision.boardName);
    if (!group) {
      // The image was chosen in the same read of the catalog; one deleted since is named by its id alone.
      const image = images.get(decision.imageId) ?? { id: decision.imageId, type: '', label: '' };
      group = { model: decision.model, board: decision.boardName, image, devices: 0, downgrades: 0 };
      ofModel.set(decision.boardName, group);
      all.push(group);
    }
    group.devices += 1;
    if (decision.downgrade) group.downgrades += 1;
  }
  return all.sort(
    (a, b) => b.devices - a.devices || a.model.localeCompare(b.model) || a.image.type.localeCompare(b.image.type),
  );
}

/**
 * The seed's dry run, made exact: the same input as a launch (filters, upgrade_all, allow_downgrade,
 * rollout) gives what that launch would do, with a reason for every device it would skip and its
 * stages. It changes nothing, so members who may only read may call it.
 */
export async function dryRun(
  db: Db,
  actor: Actor,
  registry: UpgraderRegistry,
  config: Config,
  buildId: string,
  input: PlanInput & { upgradeOptions?: Record<string, unknown> | undefined },
): Promise<DryRun> {
  const plan = await planBatch(db, actor, registry, config, await getBuild(db, actor, buildId), input, 'read');
  const chosen = plan.toUpgrade;
  const deviceFirmwares: string[] = [];
  const devices: string[] = [];
  for (const decision of chosen)
    (decision.population === 'related' ? deviceFirmwares : devices).push(decision.deviceId);
  return {
    deviceFirmwares,
    devices,
    skipped: plan.decisions.filter((decision) => decision.skip !== null),
    inScope: plan.decisions.length,
    stageSizes: plan.stageSizes,
    models: await modelsOf(db, buildId, chosen),
    warnings: warningsOf(chosen, input.upgradeOptions),
  };
}
