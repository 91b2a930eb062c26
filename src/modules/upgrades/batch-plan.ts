import type { Config } from '../../platform/config.js';
import type { Db } from '../../database.js';
import { invalid, invalidReference, notFound } from '../../platform/errors.js';
import {
  type Actor,
  administeredOrganizationIds,
  assertCanWrite,
  canRead,
  readableOrganizationIds,
} from '../accounts/actor.js';
import { findVisibleOrganization } from '../accounts/organization.service.js';
import type { BuildView } from '../firmware/build.service.js';
import type { UpgraderRegistry } from '../upgraders/registry.js';
import type { Upgrader } from '../upgraders/upgrader.js';
import * as batchRepository from './batch.repository.js';
import { deviceRelease, findOpenWrtVersion, isDowngrade, type OpenWrtVersion, releaseOf } from './openwrt-version.js';
import {
  normalizeRollout,
  rolloutOrder,
  stageOfPositions,
  stageSizes,
  type RolloutInput,
  type RolloutPolicy,
} from './rollout-policy.js';
import { SKIP_REASONS, type SkipReason } from './skip-reasons.js';

/**
 * What a mass upgrade would do, computed once for both the dry run and the launch, so the preview
 * is exactly the launch: the devices in scope, one decision for each (an image, or a skip with its
 * reason), the rollout policy and the stage of every device.
 *
 * The scope of a build of category C (narrowed by organization, group and location): every device
 * that runs a build of C, and every other device (another category, or no firmware record) whose
 * board fits an image of the build. The latter are upgraded only with `upgrade_all`; without it they
 * are skipped as `not-in-category`, so no device of the scope goes unmentioned.
 */

export interface BatchFilters {
  upgradeAll: boolean;
  group?: string | undefined;
  location?: string | undefined;
  /** Organization id or slug. */
  organization?: string | undefined;
  /** Only these devices (a selection of the device list). */
  devices?: readonly string[] | undefined;
  /** Flash devices that run a newer release than the build too (else they skip as `downgrade`). */
  allowDowngrade?: boolean | undefined;
}

export interface Decision {
  deviceId: string;
  deviceName: string;
  organizationId: string;
  location: string;
  os: string;
  model: string;
  boardName: string;
  population: batchRepository.CandidateKind['population'];
  /** How the device is reached (`ssh`, or `agent`: its pull agent polls). */
  management: string;
  /** It runs a newer OpenWrt release than the build (skipped as `downgrade` unless downgrades are allowed). */
  downgrade: boolean;
  /** The image it gets, or why it is skipped. */
  imageId: string | null;
  imageSha256: string | null;
  skip: { reason: SkipReason; detail: string } | null;
  /** The device's id and name again, under the names the rollout order reads. */
  id: string;
  name: string;
  /** Its 0-based stage once ordered; null while it is not planned (or skipped). */
  stage: number | null;
}

export type PlannedDecision = Decision & { imageId: string; imageSha256: string; stage: number };

export interface Scope {
  build: BuildView;
  /** The organization the batch belongs to; null = all organizations (shared build, superuser, no filter). */
  organizationId: string | null;
  /** Organizations whose devices are candidates; null = all. */
  candidateOrganizations: string[] | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organization a mass upgrade names (by id or slug); 400 when it does not exist or is not visible. */
async function resolveOrganization(db: Db, actor: Actor, given: string): Promise<string> {
  const organization = await findVisibleOrganization(db, actor, { idOrSlug: given });
  if (organization) return organization.id;
  const named = UUID.test(given) ? given : `"${given}"`;
  throw invalidReference('organization', `Organization ${named} does not exist or is not visible to you.`);
}

/**
 * Which organizations a mass upgrade of this build may touch, for this person: the build's own
 * organization; for a shared build, the one asked for, or those the person administers (all for a
 * superuser). A dry run (`access: 'read'`) changes nothing, so members who may only read (operators)
 * may see it for the organizations they belong to.
 */
export async function resolveScope(
  db: Db,
  actor: Actor,
  build: BuildView,
  filters: BatchFilters,
  access: 'read' | 'write',
): Promise<Scope> {
  const asked =
    filters.organization !== undefined ? await resolveOrganization(db, actor, filters.organization) : undefined;
  const check = (organizationId: string | null) => {
    if (access === 'write') assertCanWrite(actor, organizationId, "firmware of this organization's devices");
  };
  if (build.organizationId !== null) {
    if (asked !== undefined && asked !== build.organizationId) {
      throw invalid(
        "The organization filter names another organization than the build's: a build of an organization upgrades " +
          "only that organization's devices.",
        { organization: "conflicts with the build's organization" },
      );
    }
    check(build.organizationId);
    return { build, organizationId: build.organizationId, candidateOrganizations: [build.organizationId] };
  }
  if (asked !== undefined) {
    check(asked);
    return { build, organizationId: asked, candidateOrganizations: [asked] };
  }
  // Without a filter, the same choice for a dry run as for the launch it previews.
  const administered = administeredOrganizationIds(actor);
  if (administered === null) return { build, organizationId: null, candidateOrganizations: null };
  if (administered.length === 1)
    return { build, organizationId: administered[0]!, candidateOrganizations: administered };
  const readable = readableOrganizationIds(actor) ?? [];
  if (access === 'read' && administered.length === 0 && readable.length === 1) {
    return { build, organizationId: readable[0]!, candidateOrganizations: readable };
  }
  if (readable.length === 0 || (access === 'write' && administered.length === 0))
    assertCanWrite(actor, null, 'firmware of devices');
  throw invalid(
    'The build is shared and you belong to several organizations: say which one to upgrade ("organization").',
    { organization: 'This field is required for a shared build.' },
  );
}

/**
 * What every decision of one plan shares: the build's version, and the versions and upgraders of OS
 * strings, parsed once per distinct string (a fleet has a few, a plan may have 100,000 devices).
 */
interface DecisionContext {
  target: OpenWrtVersion | null;
  versionOf(text: string | null): OpenWrtVersion | null;
  upgraderOf(os: string, management: string): Upgrader | null;
}

function memoized<T>(compute: (key: string) => T): (key: string | null) => T {
  const known = new Map<string | null, T>();
  return (key) => {
    if (!known.has(key)) known.set(key, compute(key ?? ''));
    return known.get(key)!;
  };
}

function decisionContext(build: BuildView, registry: UpgraderRegistry): DecisionContext {
  const upgraderOf = memoized((os) => registry.forOs(os));
  return {
    target: releaseOf(build.os, build.version),
    versionOf: memoized((text) => findOpenWrtVersion(text)),
    upgraderOf: (os, management) => (management === 'agent' ? registry.agent : upgraderOf(os)),
  };
}

function skip(reason: SkipReason, detail?: string): Decision['skip'] {
  return { reason, detail: detail ?? SKIP_REASONS[reason].text };
}

/**
 * The rules of one kind of device (batch.repository.ts: what many devices share), judged once for all of
 * them: those before a device's own rule (a running operation of the device) and those after it.
 */
interface KindVerdict {
  downgrade: boolean;
  before: Decision['skip'];
  after: Decision['skip'];
}

function judgeKind(
  kind: batchRepository.CandidateKind,
  scope: Scope,
  filters: BatchFilters,
  context: DecisionContext,
): KindVerdict {
  const current = deviceRelease(kind.os, kind.currentBuildVersion, context.versionOf);
  const downgrade = isDowngrade(current, context.target);
  let before: Decision['skip'] = null;
  if (scope.build.organizationId !== null && kind.organizationId !== scope.build.organizationId)
    before = skip('organization-mismatch');
  else if (kind.population !== 'related' && !filters.upgradeAll) {
    before = skip(
      'not-in-category',
      kind.population === 'firmwareless'
        ? 'The device has no firmware record, and its board fits an image of the build: set upgrade_all to include it.'
        : `The device runs build ${kind.currentBuildVersion ?? '?'} of another category, and its board fits an image ` +
            `of the build: set upgrade_all to include it.`,
    );
  } else if (!kind.isActive) before = skip('deactivated');
  else if (kind.onBuild) before = skip('already-on-build', `The device already runs build ${scope.build.version}.`);
  else if (kind.imageId === null) before = skip('no-fitting-image');
  else if (!filters.allowDowngrade && downgrade) {
    before = skip(
      'downgrade',
      `The device runs "${kind.os || kind.currentBuildVersion}", newer than build ${scope.build.version}: set ` +
        `allow_downgrade to flash it anyway.`,
    );
  }
  let after: Decision['skip'] = null;
  if (!kind.hasCredentials) after = skip('no-credentials');
  else if (!context.upgraderOf(kind.os, kind.management))
    after = skip('no-upgrader', `No upgrader handles the OS "${kind.os}".`);
  else if (!kind.hasAddress) after = skip('no-address');
  return { downgrade, before, after };
}

/** A device's decision: its kind's rules, and between them its own (an operation of it pending or running). */
function decide(
  row: batchRepository.CandidateRow,
  kind: batchRepository.CandidateKind,
  verdict: KindVerdict,
): Decision {
  // Devices of a kind share its skip (never changed once made).
  const decision =
    verdict.before ??
    (row.activeOperationId !== null
      ? skip('operation-running', `Operation ${row.activeOperationId} of the device is pending or in progress.`)
      : verdict.after);
  return {
    deviceId: row.id,
    deviceName: row.name,
    organizationId: kind.organizationId,
    location: row.location,
    os: kind.os,
    model: kind.model,
    boardName: kind.boardName,
    population: kind.population,
    management: kind.management,
    downgrade: verdict.downgrade,
    imageId: kind.imageId,
    imageSha256: kind.imageSha256,
    skip: decision,
    id: row.id,
    name: row.name,
    stage: null,
  };
}

export interface PlanInput extends BatchFilters {
  rollout?: RolloutInput | undefined;
}

export interface Plan {
  scope: Scope;
  query: batchRepository.CandidateQuery;
  /** One per device in scope. */
  decisions: Decision[];
  policy: RolloutPolicy;
  /** The devices that get an operation, in rollout order, each with its 0-based stage. */
  toUpgrade: PlannedDecision[];
  stageSizes: number[];
}

/**
 * A selection names only devices the mass upgrade may reach: an id the actor cannot see is a 404 (as in
 * the bulk retry and cancel), one of another organization than the mass upgrade's a 400; never silently
 * left out, which would leave the plan to blame the category for a device it never looked at.
 */
async function assertSelectionInScope(db: Db, actor: Actor, scope: Scope, ids: readonly string[]): Promise<void> {
  const found = new Map((await batchRepository.findDeviceOrganizations(db, ids)).map((row) => [row.id, row]));
  for (const id of ids) {
    const device = found.get(id);
    if (!device || !canRead(actor, device.organizationId)) throw notFound('device', id);
  }
  const outside = ids.find(
    (id) =>
      scope.candidateOrganizations !== null && !scope.candidateOrganizations.includes(found.get(id)!.organizationId),
  );
  if (outside !== undefined) {
    throw invalid(
      `Device ${outside} belongs to another organization than this mass upgrade's: select devices of one organization.`,
      { devices: "a device outside the mass upgrade's organization" },
    );
  }
}

/**
 * Plans a mass upgrade of `build` (visible to the actor); a launch and a dry run with the same
 * input give the same plan.
 */
export async function planBatch(
  db: Db,
  actor: Actor,
  registry: UpgraderRegistry,
  config: Config,
  build: BuildView,
  input: PlanInput,
  access: 'read' | 'write',
  now = new Date(),
): Promise<Plan> {
  const policy = normalizeRollout(input.rollout, { maxConcurrent: config.upgrades.rolloutMaxConcurrent }, now);
  const scope = await resolveScope(db, actor, build, input, access);
  if (input.devices !== undefined) await assertSelectionInScope(db, actor, scope, input.devices);
  const query: batchRepository.CandidateQuery = {
    buildId: build.id,
    categoryId: scope.build.categoryId,
    organizationIds: scope.candidateOrganizations,
    group: input.group,
    location: input.location,
    deviceIds: input.devices,
  };
  const context = decisionContext(build, registry);
  const candidates = await batchRepository.findCandidates(db, query);
  const verdicts = candidates.kinds.map((kind) => judgeKind(kind, scope, input, context));
  const decisions = candidates.devices.map((row) => decide(row, candidates.kinds[row.kind]!, verdicts[row.kind]!));
  // One object per device all the way (a plan may have 100,000): the order and the stages are filled in
  // place rather than copied into new objects at each step.
  const ordered = rolloutOrder(decisions.filter((decision) => decision.skip === null));
  const sizes = stageSizes(policy, ordered.length);
  const stages = stageOfPositions(sizes);
  for (let index = 0; index < ordered.length; index += 1) ordered[index]!.stage = stages[index]!;
  return { scope, query, decisions, policy, toUpgrade: ordered as PlannedDecision[], stageSizes: sizes };
}
