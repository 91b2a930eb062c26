import type { BuildErrorKind } from './imagebuilder.table.js';

/**
 * Why a build failed, as a stable code. User errors (the request cannot be built) are cached for a
 * short while (image_builds.user_error_ttl); infrastructure errors (downloads, checksums, timeouts)
 * are retried and never cached.
 */
export const BUILD_ERRORS = {
  PACKAGE_MISSING: {
    kind: 'user',
    meaning: 'A requested package does not exist for this version/target (`missing_packages`).',
  },
  PACKAGE_CONFLICT: {
    kind: 'user',
    meaning: 'Requested packages conflict with each other or with defaults (`conflicting_packages`).',
  },
  PACKAGE_VERSION_MISMATCH: {
    kind: 'user',
    meaning: 'A `packages_versions` entry is not the version the ImageBuilder installs.',
  },
  IMAGE_TOO_BIG: { kind: 'user', meaning: "The selected packages exceed the device's storage." },
  REVISION_MISMATCH: { kind: 'user', meaning: "The ImageBuilder's revision is not the requested `version_code`." },
  PROFILE_NOT_FOUND: {
    kind: 'user',
    meaning: 'The ImageBuilder does not know the profile, or produced no profiles.json entry for it.',
  },
  OUTPUT_TOO_LARGE: { kind: 'user', meaning: 'The build wrote more than image_builds.max_output_size.' },
  BUILD_FAILED: { kind: 'user', meaning: 'make image failed for another reason: see stdout/stderr.' },
  IMAGEBUILDER_UNAVAILABLE: {
    kind: 'infrastructure',
    meaning: 'The upstream lists no ImageBuilder for this version/target (yet), or it cannot be downloaded.',
  },
  CHECKSUM_MISMATCH: {
    kind: 'infrastructure',
    meaning: 'The downloaded ImageBuilder does not match sha256sums; it was not unpacked.',
  },
  SIGNATURE_INVALID: {
    kind: 'infrastructure',
    meaning: 'sha256sums is not signed by image_builds.signing_key; nothing was unpacked.',
  },
  TIMEOUT: { kind: 'infrastructure', meaning: 'The build ran longer than image_builds.timeout and was stopped.' },
  HOST_TOOLS_MISSING: {
    kind: 'infrastructure',
    meaning:
      'A program the ImageBuilder needs is not installed on the build machine (its prerequisite check failed, ' +
      'or make, timeout, tar, xz or zstd is missing): see docs/operations.md, "ImageBuilder host requirements".',
  },
  SETUP_FAILED: {
    kind: 'infrastructure',
    meaning: 'Preparing the build (unpacking, copying, permissions) failed on the server.',
  },
  STORAGE_UNAVAILABLE: {
    kind: 'infrastructure',
    meaning: 'The built files could not be stored: the object store was unreachable. Retried; nothing was recorded.',
  },
  GAVE_UP: { kind: 'infrastructure', meaning: 'Every attempt (image_builds.max_attempts) failed or was interrupted.' },
  STORED_REQUEST_INVALID: {
    kind: 'infrastructure',
    meaning: 'The stored build request cannot be read by this version; not retried.',
  },
} as const satisfies Record<string, { kind: BuildErrorKind; meaning: string }>;

export type BuildErrorCode = keyof typeof BUILD_ERRORS;

export class BuildFailure extends Error {
  readonly kind: BuildErrorKind;

  constructor(
    readonly code: BuildErrorCode,
    message: string,
    readonly details: { missing?: string[]; conflicts?: string[]; stdout?: string; stderr?: string } = {},
  ) {
    super(message);
    this.name = 'BuildFailure';
    this.kind = BUILD_ERRORS[code].kind;
  }
}

/**
 * A setup step (copy, unpack, hand-over) that ended badly: TIMEOUT when the build's wall-clock limit
 * stopped it (the same decision as a `make` that ran too long), else SETUP_FAILED.
 */
export function setupFailure(result: { timedOut: boolean }, message: string): BuildFailure {
  return result.timedOut
    ? new BuildFailure(
        'TIMEOUT',
        `The build's wall-clock limit (image_builds.timeout) passed while setting up: ${message}`,
      )
    : new BuildFailure('SETUP_FAILED', message);
}
