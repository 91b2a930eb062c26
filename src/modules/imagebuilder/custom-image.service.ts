import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { AppError } from '../../platform/errors.js';
import { type Actor, assertCanWrite } from '../accounts/actor.js';
import { getBuild } from '../firmware/build.service.js';
import type { StoredImageInput } from '../firmware/image.service.js';
import type { BuildRequestBody } from './build-request.js';
import * as buildRepository from './build.repository.js';
import { type BuildServiceDeps, BuildRequestRefused, submitBuild } from './build.service.js';
import * as customImageRepository from './custom-image.repository.js';
import type { AsuBuildRow, CustomImageRow } from './imagebuilder.table.js';
import { resolveProfile, type ProfileEntry } from './openwrt-catalog.js';
import { recordAudit } from '../audit/record-audit.js';

/**
 * Custom images for the fleet: for a firmware build, one custom image build per device model the
 * fleet runs in that category (or per given profile), through the same build service and cache as
 * ASU clients. Each finished sysupgrade image becomes an image of the firmware build, ready for
 * mass upgrades: attaching it links the devices that run it (upgrades), so that step is a use case
 * above this module (src/use-cases/attach-finished-build.ts), as is a request
 * (src/use-cases/request-custom-images.ts), which attaches the builds that are done already.
 */

export interface CustomImagesInput {
  /** OpenWrt version to build; the firmware build's version by default. */
  openwrtVersion?: string | undefined;
  packages: string[];
  diffPackages?: boolean | undefined;
  defaults?: string | null | undefined;
  rootfsSizeMb?: number | null | undefined;
  filesystem?: BuildRequestBody['filesystem'];
  /** Explicit profiles; when absent, the models present in the fleet for the build's category. */
  profiles?: { target: string; profile: string }[] | undefined;
  /** `defaults` holds the pull agent and its enrollment (recorded in the audit entry, never the script). */
  embedsAgent?: boolean | undefined;
  /**
   * `defaults` was written by the server alone (the embedded agent, no script of the admin): built even when
   * image_builds.allow_defaults is off, a setting about scripts that clients send.
   */
  defaultsComposedByServer?: boolean | undefined;
}

export interface CustomImagesResult {
  requested: CustomImageRow[];
  skipped: { target: string | null; board: string | null; profile: string | null; devices: number; reason: string }[];
}

/** Custom image rows queued by a request, with the builds among theirs that are done already. */
export interface SubmittedCustomImages {
  requested: CustomImageRow[];
  skipped: CustomImagesResult['skipped'];
  /** Builds that were cached (or finished meanwhile): attach them now, the others when they finish. */
  finished: AsuBuildRow[];
}

/** A custom image waiting for a finished build, with the stored file to attach or why there is none. */
export type CustomImageToAttach =
  | { row: CustomImageRow; image: StoredImageInput; failure?: never }
  | { row: CustomImageRow; image?: never; failure: string };

const FLEET_CLIENT = 'fleetflash/custom-images';
/** Image types worth attaching, in order of preference: what sysupgrade flashes. */
const FLASHABLE_TYPES = ['sysupgrade', 'combined', 'combined-efi'];

/** Submits one image build per wanted model and records a custom image row for each. */
export async function submitCustomImageBuilds(
  deps: BuildServiceDeps,
  actor: Actor,
  buildId: string,
  input: CustomImagesInput,
): Promise<SubmittedCustomImages> {
  const build = await getBuild(deps.db, actor, buildId);
  assertCanWrite(actor, build.organizationId, 'images of this build');
  const version = input.openwrtVersion ?? build.version;
  const skipped: CustomImagesResult['skipped'] = [];
  const wanted = new Map<string, { target: string; profile: string; boards: string[] }>();

  if (input.profiles && input.profiles.length > 0) {
    for (const { target, profile } of input.profiles)
      wanted.set(`${target} ${profile}`, { target, profile, boards: [] });
  } else {
    const fleet = await customImageRepository.findFleetBoardsOfCategory(
      deps.db,
      build.categoryId,
      build.organizationId,
    );
    if (fleet.length === 0) {
      throw new AppError(
        'NoCustomImageModels',
        `No device of this organization runs a build of this category, so there is no model to build for: give ` +
          `"profiles" ([{"target": "ath79/generic", "profile": "tplink_archer-c7-v2"}]).`,
        { profiles: 'required when the fleet has no device on this category' },
      );
    }
    for (const entry of fleet) {
      if (!entry.target) {
        skipped.push({
          target: null,
          board: entry.boardName,
          profile: null,
          devices: entry.devices,
          reason: "The target of the devices' current image is unknown (no metadata): give the profile explicitly.",
        });
        continue;
      }
      const profiles = await deps.catalog.profiles(version, entry.target).catch(() => null);
      const profile = profiles ? resolveProfile(profiles, entry.boardName) : null;
      if (!profile) {
        skipped.push({
          target: entry.target,
          board: entry.boardName,
          profile: null,
          devices: entry.devices,
          reason: profiles
            ? `OpenWrt ${version} has no profile for board ${entry.boardName} on ${entry.target}.`
            : `OpenWrt ${version} has no target ${entry.target} upstream.`,
        });
        continue;
      }
      const key = `${entry.target} ${profile}`;
      const known = wanted.get(key);
      if (known) known.boards.push(entry.boardName);
      else wanted.set(key, { target: entry.target, profile, boards: [entry.boardName] });
    }
  }

  const submitted: { target: string; profile: string; boards: string[]; row: AsuBuildRow }[] = [];
  for (const item of wanted.values()) {
    try {
      const { row } = await submitBuild(deps, {
        body: {
          version,
          target: item.target,
          profile: item.profile,
          packages: input.packages,
          diff_packages: input.diffPackages ?? false,
          defaults: input.defaults ?? null,
          rootfs_size_mb: input.rootfsSizeMb ?? null,
          filesystem: input.filesystem ?? null,
          client: FLEET_CLIENT,
        },
        clientKey: `organization:${build.organizationId ?? 'shared'}`,
        trusted: true,
        defaultsComposedByServer: input.defaultsComposedByServer ?? false,
      });
      submitted.push({ ...item, row });
    } catch (error) {
      if (!(error instanceof BuildRequestRefused)) throw error;
      skipped.push({
        target: item.target,
        board: item.boards[0] ?? null,
        profile: item.profile,
        devices: item.boards.length,
        reason: error.message,
      });
    }
  }
  if (submitted.length === 0) {
    throw new AppError(
      'NoCustomImageModels',
      `No custom image could be ` +
        `requested: ${skipped.map((entry) => `${entry.profile ?? entry.board}: ${entry.reason}`).join(' ')}`,
    );
  }
  const rows = await deps.db.transaction().execute(async (trx) => {
    const inserted = await customImageRepository.insertCustomImages(
      trx,
      submitted.map((item) => ({
        buildId: build.id,
        requestHash: item.row.requestHash,
        target: item.target,
        profile: item.profile,
        boards: item.boards,
      })),
    );
    for (const row of inserted)
      await recordAudit(trx, actor, {
        action: 'custom_image.requested',
        organizationId: build.organizationId,
        target: { type: 'custom_image', id: row.id, label: `${row.target} ${row.profile}` },
        details: {
          build: build.id,
          build_version: build.version,
          openwrt_version: version,
          boards: row.boards,
          embed_agent: input.embedsAgent ?? false,
        },
      });
    return inserted;
  });
  const finished: AsuBuildRow[] = [];
  for (const hash of new Set(rows.map((row) => row.requestHash))) {
    const current = await buildRepository.findBuild(deps.db, hash);
    if (current && (current.status === 'success' || current.status === 'failed')) finished.push(current);
  }
  return { requested: rows, skipped, finished };
}

export async function listCustomImages(db: Kysely<Database>, actor: Actor, buildId: string): Promise<CustomImageRow[]> {
  const build = await getBuild(db, actor, buildId);
  return customImageRepository.listCustomImagesOfBuild(db, build.id);
}

/** Custom image rows by id, as they are now (a request answers them after attaching the finished ones). */
export async function findCustomImages(db: Kysely<Database>, ids: string[]): Promise<CustomImageRow[]> {
  return customImageRepository.findCustomImagesByIds(db, ids);
}

function chooseImage(
  result: Record<string, unknown>,
  filesystem: string | null,
): { name: string; type: string } | null {
  const images = (result.images ?? []) as NonNullable<ProfileEntry['images']>;
  for (const type of FLASHABLE_TYPES) {
    const candidates = images.filter(
      (image) => image.type === type && (filesystem === null || image.filesystem === filesystem),
    );
    const chosen = candidates.find((image) => image.filesystem === 'squashfs') ?? candidates[0];
    if (chosen) return chosen;
  }
  return null;
}

/**
 * The custom images waiting for this finished build (none once each is attached or failed), each with
 * the file to attach as an image of its firmware build, or why it cannot get one (the build failed,
 * or produced no sysupgrade image).
 */
export async function customImagesToAttach(db: Kysely<Database>, build: AsuBuildRow): Promise<CustomImageToAttach[]> {
  const pending = await customImageRepository.findPendingOfHash(db, build.requestHash);
  if (pending.length === 0) return [];
  if (build.status === 'failed') {
    const failure = `${build.errorCode ?? 'BUILD_FAILED'}: ${build.detail ?? 'the build failed'}`;
    return pending.map((row) => ({ row, failure }));
  }
  const result = build.result ?? {};
  const request = build.request as { filesystem?: string | null };
  const image = chooseImage(result, request.filesystem ?? null);
  const files = await buildRepository.listFiles(db, build.requestHash);
  const file = image ? files.find((candidate) => candidate.name === image.name) : undefined;
  if (!image || !file)
    return pending.map((row) => ({ row, failure: 'The build produced no sysupgrade image to attach.' }));
  const prefix = typeof result.image_prefix === 'string' ? result.image_prefix : '';
  const title = ((result.titles ?? []) as { vendor?: string; model?: string; variant?: string; title?: string }[])[0];
  return pending.map((row) => {
    const type =
      prefix && image.name.startsWith(`${prefix}-`)
        ? `${row.target.replace('/', '-')}-${row.profile}-${image.name.slice(prefix.length + 1)}`
        : image.name;
    const label = title
      ? (title.title ?? [title.vendor, title.model, title.variant].filter(Boolean).join(' '))
      : row.profile;
    return { row, image: { sha256: file.sha256, size: file.size, fileName: image.name, type, label } };
  });
}

/** Records the image a custom image became (in the attach's transaction `db`). */
export async function markCustomImageAttached(db: Kysely<Database>, id: string, imageId: string): Promise<void> {
  await customImageRepository.markAttached(db, id, imageId);
}

/** Records why a custom image could not be attached; it stays failed until requested again. */
export async function markCustomImageFailed(db: Kysely<Database>, id: string, detail: string): Promise<void> {
  await customImageRepository.markFailed(db, id, detail);
}
