import { type ApiError, toApiError } from '../../api/client';
import type { paths } from '../../api/schema';

/**
 * The image build (Attended SysUpgrade) endpoints as the UI needs them. A failed build is an HTTP
 * 500 that still carries the build's state, so these calls use fetch and read the status
 * themselves; the shapes are the generated ones.
 */

type BuildPath = paths['/api/v1/build/{request_hash}']['get']['responses'];
/** A build's state: 202 queued or building, 200 done, 500 failed (`status` is the HTTP code). */
export type BuildAnswer = BuildPath[200]['content']['application/json'];
export type BuildImage = NonNullable<BuildAnswer['images']>[number];
type Overview200 = paths['/json/v1/overview.json']['get']['responses'][200]['content']['application/json'];
type PackageIndexGet = paths['/json/v1/releases/{version}/packages/{file}']['get'];
type PackageIndex = PackageIndexGet['responses'][200]['content']['application/json'];

/** A request the server refused (4xx, 429, 503, 529): the error, and the body for its extras. */
export class BuildRefused extends Error {
  constructor(
    readonly error: ApiError,
    readonly body: Record<string, unknown>,
    readonly retryAfter: string | null,
  ) {
    super(error.message);
    this.name = 'BuildRefused';
  }

  /** The request fields the refusal is about: schema failures name theirs, refusals their `field`. */
  get fields(): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const [key, text] of Object.entries(this.error.fields)) {
      const field = key.split('.')[0] ?? key;
      fields[field] ??= text;
    }
    if (typeof this.body.field === 'string') fields[this.body.field] ??= this.error.message;
    return fields;
  }
}

/** What the UI asks for: a part of the build request body. */
type BuildRequestBody = paths['/api/v1/build']['post']['requestBody']['content']['application/json'];
export type BuildRequest = Required<Pick<BuildRequestBody, 'version' | 'target' | 'profile' | 'packages'>>;

async function buildCall(url: string, init?: RequestInit): Promise<BuildAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) },
      ...init,
    });
  } catch {
    throw toApiError(0, null);
  }
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (
    (response.status === 200 || response.status === 202 || response.status === 500) &&
    body &&
    typeof body.request_hash === 'string'
  ) {
    return { ...(body as unknown as BuildAnswer), status: response.status };
  }
  throw new BuildRefused(toApiError(response.status, body), body ?? {}, response.headers.get('retry-after'));
}

export function requestBuild(request: BuildRequest): Promise<BuildAnswer> {
  return buildCall('/api/v1/build', {
    method: 'POST',
    body: JSON.stringify({ ...request, diff_packages: false, client: 'fleetflash-ui' }),
  });
}

export function fetchBuild(hash: string): Promise<BuildAnswer> {
  return buildCall(`/api/v1/build/${encodeURIComponent(hash)}`);
}

/** The stages a build goes through (`imagebuilder_status`), in order, with what they mean. */
export const BUILD_STAGES: readonly { id: string; label: string }[] = [
  { id: 'queued', label: 'Waiting in the queue' },
  { id: 'init', label: 'Starting' },
  { id: 'container_setup', label: 'Preparing the ImageBuilder (download, unpack)' },
  { id: 'validate_revision', label: 'Checking the revision' },
  { id: 'validate_manifest', label: 'Checking the packages' },
  { id: 'building_image', label: 'Building the image' },
  { id: 'done', label: 'Done' },
];

/** What a build error code means (docs/api.md, "Build error codes"). */
export const BUILD_ERROR_TEXT: Record<string, string> = {
  PACKAGE_MISSING: 'A requested package does not exist for this version and target.',
  PACKAGE_CONFLICT: 'Requested packages conflict with each other or with the defaults.',
  PACKAGE_VERSION_MISMATCH: 'A pinned package version is not the one the ImageBuilder installs.',
  IMAGE_TOO_BIG: "The selected packages do not fit the device's storage: remove some.",
  REVISION_MISMATCH: "The ImageBuilder's revision is not the requested one.",
  PROFILE_NOT_FOUND: 'The ImageBuilder does not know this model.',
  OUTPUT_TOO_LARGE: 'The build wrote more output than the server allows.',
  BUILD_FAILED: 'The build failed: see the output below.',
  IMAGEBUILDER_UNAVAILABLE: 'No ImageBuilder is available upstream for this version and target (yet).',
  CHECKSUM_MISMATCH: 'The downloaded ImageBuilder did not match its checksums.',
  SIGNATURE_INVALID: "The ImageBuilder's checksums are not properly signed.",
  TIMEOUT: 'The build took too long and was stopped.',
  HOST_TOOLS_MISSING: 'A program the ImageBuilder needs is missing on the server: tell its administrator.',
  SETUP_FAILED: 'Preparing the build failed on the server.',
  GAVE_UP: 'Every attempt failed: try again later.',
};

/** Sysupgrade images first (what routers flash), then the others by name. */
export function sortImages(images: readonly BuildImage[]): BuildImage[] {
  const rank = (image: BuildImage) =>
    image.type === 'sysupgrade' || image.name.includes('sysupgrade') ? 0 : image.type === 'combined' ? 1 : 2;
  return [...images].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export interface Overview {
  latest: string[];
  /** Every version, newest branch first. */
  versions: string[];
  /** Targets (`ath79/generic` → package architecture) per version, from its branch. */
  targetsOf: (version: string) => string[];
}

export function parseOverview(document: Overview200): Overview {
  const branches = Object.values(document.branches).filter((branch) => branch.enabled);
  const byVersion = new Map<string, string[]>();
  for (const branch of branches) {
    const targets = Object.keys(branch.targets ?? {}).sort();
    for (const version of branch.versions ?? []) byVersion.set(version, targets);
  }
  return {
    latest: document.latest,
    versions: [...byVersion.keys()],
    targetsOf: (version) => byVersion.get(version) ?? [],
  };
}

/** Package names of an `{arch}-index.json` (a `{name: version}` map). */
export function packageNames(document: PackageIndex): string[] {
  return Object.keys(document)
    .filter((name) => name !== 'architecture')
    .sort();
}

/** Package names as the build request accepts them (no spaces, quotes, `$`, `/`…; `-` only to remove). */
export const PACKAGE_NAME = /^-?[A-Za-z0-9_][A-Za-z0-9_.,-]*$/;
