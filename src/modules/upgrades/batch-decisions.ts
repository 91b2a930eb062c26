import type { BuildView } from '../firmware/build.service.js';
import type { UpgraderRegistry } from '../upgraders/registry.js';
import type { Upgrader } from '../upgraders/upgrader.js';
import type { CandidateKind, CandidateRow } from './candidates.repository.js';
import { deviceRelease, findOpenWrtVersion, isDowngrade, type OpenWrtVersion, releaseOf } from './openwrt-version.js';
import { SKIP_REASONS, type SkipReason } from './skip-reasons.js';

/**
 * The decision a mass upgrade takes for each device in its scope (an image, or a skip with its reason),
 * by the rules of batch-plan.ts, which reads the devices and orders those it upgrades.
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
  population: CandidateKind['population'];
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

/**
 * What every decision of one plan shares: the build's version, and the versions and upgraders of OS
 * strings, parsed once per distinct string (a fleet has a few, a plan may have 100,000 devices).
 */
export interface DecisionContext {
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

export function decisionContext(build: BuildView, registry: UpgraderRegistry): DecisionContext {
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
export interface KindVerdict {
  downgrade: boolean;
  before: Decision['skip'];
  after: Decision['skip'];
}

export function judgeKind(
  kind: CandidateKind,
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
export function decide(row: CandidateRow, kind: CandidateKind, verdict: KindVerdict): Decision {
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
