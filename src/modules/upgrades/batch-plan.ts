import { UUID_PATTERN } from '../../platform/uuid.js';
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
import {
  type BatchFilters,
  type Decision,
  decide,
  decisionContext,
  judgeKind,
  type PlannedDecision,
  type Scope,
} from './batch-decisions.js';
import * as candidatesRepository from './candidates.repository.js';
import {
  normalizeRollout,
  rolloutOrder,
  stageOfPositions,
  stageSizes,
  type RolloutInput,
  type RolloutPolicy,
} from './rollout-policy.js';

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

/** The organization a mass upgrade names (by id or slug); 400 when it does not exist or is not visible. */
async function resolveOrganization(db: Db, actor: Actor, given: string): Promise<string> {
  const organization = await findVisibleOrganization(db, actor, { idOrSlug: given });
  if (organization) return organization.id;
  const named = UUID_PATTERN.test(given) ? given : `"${given}"`;
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

export interface PlanInput extends BatchFilters {
  rollout?: RolloutInput | undefined;
}

export interface Plan {
  scope: Scope;
  query: candidatesRepository.CandidateQuery;
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
  const found = new Map((await candidatesRepository.findDeviceOrganizations(db, ids)).map((row) => [row.id, row]));
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
  const query: candidatesRepository.CandidateQuery = {
    buildId: build.id,
    categoryId: scope.build.categoryId,
    organizationIds: scope.candidateOrganizations,
    group: input.group,
    location: input.location,
    deviceIds: input.devices,
  };
  const context = decisionContext(build, registry);
  const candidates = await candidatesRepository.findCandidates(db, query);
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
