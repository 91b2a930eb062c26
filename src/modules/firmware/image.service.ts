import type { Db } from '../../database.js';
import { lockBlob } from '../../platform/blob-references.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { ReceivedFile, Storage } from '../../platform/storage.js';
import type { OrderingTerm } from '../../platform/db/ordering.js';
import { type Actor, assertCanWrite, canRead } from '../accounts/actor.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import { type BuildView, getBuild } from './build.service.js';
import type { ImageRow, NewImageRow } from './firmware.table.js';
import { type FwtoolMetadata, readStoredFwtoolMetadata } from './fwtool.js';
import { deriveImageType, type HardwareTable } from './hardware-table.js';
import { readStoredHead, whyNotAnImage } from './image-format.js';
import * as imageRepository from './image.repository.js';

export type ImageOrderingField = keyof typeof imageRepository.IMAGE_ORDERING;
export const IMAGE_ORDERING_FIELDS = Object.keys(imageRepository.IMAGE_ORDERING) as ImageOrderingField[];
export const DEFAULT_IMAGE_ORDERING = 'type';

export async function listImages(
  db: Db,
  actor: Actor,
  buildId: string,
  filter: { type?: string | undefined; organization?: string | undefined },
  ordering: OrderingTerm<ImageOrderingField>[],
  page: { limit: number; offset: number },
) {
  const build = await getBuild(db, actor, buildId);
  // All images of a build share its organization: the filter keeps them all or none.
  const organizationId = await resolveOrganizationFilter(db, actor, filter.organization);
  if (organizationId !== undefined && organizationId !== build.organizationId) return { rows: [], count: 0 };
  const [rows, count] = await Promise.all([
    imageRepository.listImages(db, buildId, filter, ordering, page),
    imageRepository.countImages(db, buildId, filter),
  ]);
  return { rows, count };
}

/**
 * The image if the actor may see its build. Downloading needs nothing more: members of the
 * image's organization (any role) and superusers may download; shared images, everyone logged in.
 */
export async function getImage(db: Db, actor: Actor, buildId: string, imageId: string): Promise<ImageRow> {
  await getBuild(db, actor, buildId);
  const image = await imageRepository.findImage(db, buildId, imageId);
  if (!image) throw notFound('image', imageId);
  return image;
}

/** Checked before the upload streams in, so a refused upload costs no disk and no time. */
export async function assertCanAddImage(db: Db, actor: Actor, buildId: string): Promise<BuildView> {
  const build = await getBuild(db, actor, buildId);
  assertCanWrite(actor, build.organizationId, 'images of this build');
  return build;
}

export interface ResolvedImageType {
  type: string;
  label: string;
  boards: string[];
}

/**
 * The image type and the boards it fits. A type from the hardware table (or the custom-images
 * setting) gives label and boards; the image's own fwtool metadata adds its `supported_devices` and
 * is checked against the type; an image whose metadata names its boards needs no table entry.
 */
export function resolveImageType(
  input: { type?: string | undefined; fileName: string; metadata: FwtoolMetadata | null },
  table: HardwareTable,
): ResolvedImageType {
  const type = input.type?.trim() || deriveImageType(input.fileName, table);
  const entry = table.get(type);
  const supported = input.metadata?.supported_devices ?? [];
  const target = input.metadata?.version?.target;
  if (entry) {
    if (target && !type.startsWith(`${target.replace('/', '-')}-`)) {
      throw new AppError(
        'ImageMetadataMismatch',
        `The image's metadata says it is built for target ${target}, but type "${type}" belongs to another target: ` +
          `check the file or the type.`,
        {
          type: `does not match target ${target}`,
        },
      );
    }
    const tableBoardNames = entry.boards.filter((board) => board.includes(','));
    if (
      supported.length > 0 &&
      tableBoardNames.length > 0 &&
      !supported.some((board) => tableBoardNames.includes(board))
    ) {
      throw new AppError(
        'ImageMetadataMismatch',
        `The image's metadata says it fits ${supported.join(', ')}, but type "${type}" is ` +
          `for ${tableBoardNames.join(', ')}: check the file or the type.`,
        {
          type: 'does not match the boards in the image metadata',
        },
      );
    }
    return { type, label: entry.label, boards: [...new Set([...entry.boards, ...supported])] };
  }
  if (supported.length > 0) {
    const board = input.metadata?.version?.board ?? supported[0]!;
    return { type, label: target ? `${board} (${target})` : board, boards: supported };
  }
  throw new AppError(
    'UnknownImageType',
    `Could not find boards for image type "${type}": it is not in the hardware table or the custom_openwrt_images ` +
      `setting, and the file carries no OpenWrt metadata. ` +
      'Give the type of a known model in "type", or add this model to custom_openwrt_images.',
    { type: 'unknown image type' },
  );
}

export interface NewImageInput {
  file: ReceivedFile;
  fileName: string;
  type?: string | undefined;
  /** Accept a file without metadata even when it does not look like an image of its type. */
  force?: boolean | undefined;
}

/**
 * A file without OpenWrt metadata must at least look like an image of its type (see
 * image-format.ts), unless the upload is forced: a text file or a checksum list is never an image.
 */
async function assertPlausibleImage(storage: Storage, input: NewImageInput, type: string): Promise<void> {
  if (input.force) return;
  const reason = whyNotAnImage({ type, size: input.file.size, head: await readStoredHead(storage, input.file) });
  if (reason === null) return;
  throw new AppError(
    'NotAnImage',
    `"${input.fileName}" cannot be a sysupgrade image: ${reason}. Check that this is the sysupgrade file (not a ` +
      `factory image, a checksum list or a text file) and its type; ` +
      'if you are sure it is right, upload it again with the field force=true.',
    { file: 'not a sysupgrade image of this type' },
  );
}

/** An image ready to be recorded: checked, its type and boards resolved, its metadata read. */
export interface PreparedImage {
  /** The build it joins (what the firmware link of devices needs too). */
  build: { id: string; os: string | null; organizationId: string | null };
  values: NewImageRow;
}

/**
 * Checks an upload against the build and reads what the file says about itself, before any
 * transaction: `recordImage` then stores it. The caller discards the received file in the end.
 */
export async function prepareUploadedImage(
  db: Db,
  storage: Storage,
  table: HardwareTable,
  actor: Actor,
  buildId: string,
  input: NewImageInput,
): Promise<PreparedImage> {
  const build = await assertCanAddImage(db, actor, buildId);
  const metadata = await readStoredFwtoolMetadata(storage, input.file);
  const resolved = resolveImageType({ type: input.type, fileName: input.fileName, metadata }, table);
  if (!metadata) await assertPlausibleImage(storage, input, resolved.type);
  return {
    build: { id: build.id, os: build.os, organizationId: build.organizationId },
    values: {
      buildId: build.id,
      type: resolved.type,
      label: resolved.label,
      fileName: input.fileName,
      size: input.file.size,
      sha256: input.file.sha256,
      boards: resolved.boards,
      metadata: metadata ? JSON.stringify(metadata) : null,
    },
  };
}

/**
 * Inserts the image row in `trx`, holding its stored file's lock (platform/blob-references.ts) so
 * that no release removes the file before the row is visible. An uploaded file is moved into
 * storage in the same transaction (`keepReceivedBlob`), after this.
 */
export async function recordImage(trx: Db, prepared: PreparedImage): Promise<ImageRow> {
  await lockBlob(trx, prepared.values.sha256);
  return imageRepository.insertImage(trx, prepared.values);
}

/** The image, if the actor may delete it (404 if not visible, 403 if read-only). */
export async function getDeletableImage(
  db: Db,
  actor: Actor,
  buildId: string,
  imageId: string,
): Promise<{ image: ImageRow; build: BuildView }> {
  const build = await getBuild(db, actor, buildId);
  assertCanWrite(actor, build.organizationId, 'images of this build');
  const image = await imageRepository.findImage(db, buildId, imageId);
  if (!image) throw notFound('image', imageId);
  return { image, build };
}

/** Deletes the image row; returns its file's hash for `releaseBlobs` after the commit (undefined: already gone). */
export async function removeImage(db: Db, imageId: string): Promise<string | undefined> {
  return (await imageRepository.deleteImage(db, imageId))?.sha256;
}

export type ImageWithBuild = NonNullable<Awaited<ReturnType<typeof imageRepository.findImageWithBuild>>>;

/** An image by id alone, if the actor may see it (undefined otherwise). */
export async function findVisibleImage(db: Db, actor: Actor, imageId: string): Promise<ImageWithBuild | undefined> {
  const image = await imageRepository.findImageWithBuild(db, imageId);
  return image && canRead(actor, image.organizationId) ? image : undefined;
}

/** An image by id, for background work acting for the system. */
export async function findImage(db: Db, imageId: string): Promise<ImageWithBuild | undefined> {
  return imageRepository.findImageWithBuild(db, imageId);
}

/** Ids of a build's images (a mass upgrade needs at least one). */
export async function imageIdsOfBuild(db: Db, buildId: string): Promise<string[]> {
  return imageRepository.listImageIdsOfBuild(db, buildId);
}

/** The type and label of each image of a build, by image id (to name the images a plan chose). */
export async function imageNamesOfBuild(
  db: Db,
  buildId: string,
): Promise<Map<string, { id: string; type: string; label: string }>> {
  const rows = await imageRepository.listImageNamesOfBuild(db, buildId);
  return new Map(rows.map((row) => [row.id, row]));
}

/** A build's image of a hardware type, for background work acting for the system. */
export async function findImageOfBuildByType(db: Db, buildId: string, type: string): Promise<ImageRow | undefined> {
  return imageRepository.findImageOfBuildByType(db, buildId, type);
}

export interface StoredImageInput {
  /** A file already in storage (and referenced elsewhere, e.g. by a custom build's files). */
  sha256: string;
  size: number;
  fileName: string;
  type: string;
  label?: string | undefined;
}

/**
 * Prepares an image whose bytes are already stored (a custom build's output) for a build, for the
 * system rather than a user (the caller checked the user's right when the work was requested).
 * Type and boards come from the image's own metadata and the hardware table, as for uploads.
 */
export async function prepareStoredImage(
  db: Db,
  storage: Storage,
  table: HardwareTable,
  buildId: string,
  input: StoredImageInput,
): Promise<PreparedImage> {
  const build = await imageRepository.findBuildOfImage(db, buildId);
  if (!build) throw notFound('build', buildId);
  const metadata = await readStoredFwtoolMetadata(storage, input.sha256);
  const resolved = resolveImageType({ type: input.type, fileName: input.fileName, metadata }, table);
  return {
    build: { id: buildId, os: build.os, organizationId: build.organizationId },
    values: {
      buildId,
      type: resolved.type,
      label: table.has(resolved.type) ? resolved.label : (input.label ?? resolved.label),
      fileName: input.fileName,
      size: input.size,
      sha256: input.sha256,
      boards: resolved.boards,
      metadata: metadata ? JSON.stringify(metadata) : null,
    },
  };
}
