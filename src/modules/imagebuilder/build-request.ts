import { createHash } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.js';
import type { Config } from '../../platform/config.js';

/**
 * The ASU build request: its schema (validation, OpenAPI), and the canonical form that is hashed.
 *
 * Every string that may reach the ImageBuilder's command line is held to an explicit ASCII pattern
 * that cannot start with `-` (no option-like values), and holds no space, newline, `$`, `(`, `/`
 * (outside the one slash of a target) or quote. Arguments are passed to `make` as an array, never
 * through a shell, but make itself expands `$(…)` in command-line variables: the patterns are what
 * keeps a package name a package name.
 */

const NAME = '^[A-Za-z0-9_][A-Za-z0-9_.,-]*$';
const OPTIONAL_NAME = '^([A-Za-z0-9_][A-Za-z0-9_.,-]*)?$';
/** `-name` removes a package; a leading `+` (an explicit "add") is accepted and dropped. */
const PACKAGE = '^[+-]?[A-Za-z0-9_][A-Za-z0-9_.,-]*$';
const PACKAGE_VERSION = '^[A-Za-z0-9_+.,~:-]*$';
const TARGET = '^[A-Za-z0-9_]+/[A-Za-z0-9_]+$';
const REPOSITORY_NAME = '^[A-Za-z0-9_.-]+$';
const REPOSITORY_URL = '^https?://[\\x21-\\x7e]+$';
const PRINTABLE = '^[\\x20-\\x7e]*$';
/** A usign public key (one base64 line) or a PEM public key (apk). */
const REPOSITORY_KEY =
  '^([A-Za-z0-9+/=]{40,120}|-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\\r\\n]+-----END PUBLIC KEY-----\\s*)$';

export const FILESYSTEMS = ['squashfs', 'ext4', 'ubifs', 'erofs', 'jffs2', 'jffs2-nand', 'targz', 'cpiogz'] as const;

/** The request body as clients send it; unknown fields are ignored. Bounds come from the settings. */
export function buildRequestSchema(settings: Config['imageBuilds']) {
  return Type.Object(
    {
      version: Type.String({ pattern: NAME, maxLength: 64, description: 'OpenWrt version, e.g. 23.05.3 or SNAPSHOT.' }),
      target: Type.String({ pattern: TARGET, maxLength: 64, description: 'Target/subtarget, e.g. ath79/generic.' }),
      profile: Type.String({
        pattern: NAME,
        maxLength: 128,
        description:
          'Profile id or a board name (`tplink,archer-c7-v2`); commas become underscores and aliases resolve to the ' +
          'profile id.',
      }),
      distro: Type.Optional(Type.String({ pattern: NAME, maxLength: 32, default: 'openwrt' })),
      version_code: Type.Optional(
        Type.String({
          pattern: OPTIONAL_NAME,
          maxLength: 64,
          description: 'Revision the ImageBuilder must have (e.g. r23809-234f1a2efa); the build fails otherwise.',
        }),
      ),
      packages: Type.Optional(
        Type.Array(Type.String({ pattern: PACKAGE, maxLength: 128 }), {
          maxItems: settings.maxPackages,
          description: 'Packages to add; `-name` removes one.',
        }),
      ),
      packages_versions: Type.Optional(
        Type.Record(Type.String(), Type.String({ pattern: PACKAGE_VERSION, maxLength: 128 }), {
          propertyNames: { pattern: NAME, maxLength: 128 },
          maxProperties: settings.maxPackages,
          description:
            'Package → exact version; when not empty its names replace `packages`, and the manifest must have these ' +
            'versions.',
        }),
      ),
      diff_packages: Type.Optional(
        Type.Boolean({
          default: false,
          description: 'true: the package list is complete; default and profile packages not listed are removed.',
        }),
      ),
      defaults: Type.Optional(
        Nullable(Type.String({ maxLength: settings.maxDefaultsLength }), {
          description: 'A first-boot uci-defaults script. Never echoed back; see docs/api.md.',
        }),
      ),
      rootfs_size_mb: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: settings.maxRootfsSizeMb }))),
      filesystem: Type.Optional(
        Type.Union([...FILESYSTEMS.map((name) => Type.Literal(name)), Type.Null()], {
          description: "Root filesystem; the profile's default when null.",
        }),
      ),
      repositories: Type.Optional(
        Type.Record(Type.String(), Type.String({ pattern: REPOSITORY_URL, maxLength: 512 }), {
          propertyNames: { pattern: REPOSITORY_NAME, maxLength: 64 },
          maxProperties: 16,
        }),
      ),
      repositories_mode: Type.Optional(
        Type.Union([Type.Literal('append'), Type.Literal('replace')], { default: 'replace' }),
      ),
      repository_keys: Type.Optional(
        Type.Array(Type.String({ pattern: REPOSITORY_KEY, maxLength: 4096 }), { maxItems: 16 }),
      ),
      client: Type.Optional(
        Nullable(Type.String({ pattern: PRINTABLE, maxLength: 128 }), {
          description: 'Client name/version, for statistics.',
        }),
      ),
    },
    { title: 'BuildRequest', additionalProperties: true },
  );
}

export type BuildRequestBody = Static<ReturnType<typeof buildRequestSchema>>;

/**
 * What a build depends on, and nothing else: the hash of this is the request hash and the bin_dir.
 * Profile aliases are resolved, packages deduplicated and sorted, empty values are null.
 */
export interface CanonicalBuildRequest {
  distro: string;
  version: string;
  version_code: string | null;
  target: string;
  profile: string;
  packages: string[];
  packages_versions: Record<string, string>;
  diff_packages: boolean;
  defaults_sha256: string | null;
  rootfs_size_mb: number | null;
  filesystem: string | null;
  repositories: Record<string, string>;
  repositories_mode: 'append' | 'replace' | null;
  repository_keys: string[];
}

function sortedRecord(record: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/**
 * Names the request asks for, in the order asked (duplicates dropped): the keys of packages_versions
 * when given, else packages, `+` dropped. The order reaches the ImageBuilder's PACKAGES as in ASU.
 */
export function requestedPackagesInOrder(body: Pick<BuildRequestBody, 'packages' | 'packages_versions'>): string[] {
  const versions = Object.keys(body.packages_versions ?? {});
  const names = versions.length > 0 ? versions : (body.packages ?? []);
  return [...new Set(names.map((name) => name.replace(/^\+/, '')))];
}

/** The same names sorted: the request hash does not depend on their order. */
export function requestedPackages(body: Pick<BuildRequestBody, 'packages' | 'packages_versions'>): string[] {
  return sortedUnique(requestedPackagesInOrder(body));
}

/** A request hash (and the bin_dir of its files): 64 lower-case hex digits. */
export const REQUEST_HASH_PATTERN = /^[0-9a-f]{64}$/;

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

export function canonicalise(body: BuildRequestBody, resolvedProfile: string): CanonicalBuildRequest {
  const repositories = sortedRecord(body.repositories);
  const hasRepositories = Object.keys(repositories).length > 0;
  const defaults = body.defaults ?? '';
  return {
    distro: body.distro ?? 'openwrt',
    version: body.version,
    version_code: body.version_code || null,
    target: body.target,
    profile: resolvedProfile,
    packages: requestedPackages(body),
    packages_versions: sortedRecord(body.packages_versions),
    diff_packages: body.diff_packages ?? false,
    defaults_sha256: defaults === '' ? null : sha256Hex(defaults),
    rootfs_size_mb: body.rootfs_size_mb ?? null,
    filesystem: body.filesystem ?? null,
    repositories,
    repositories_mode: hasRepositories ? (body.repositories_mode ?? 'replace') : null,
    repository_keys: hasRepositories ? sortedUnique(body.repository_keys ?? []) : [],
  };
}

/**
 * SHA-256 of the canonical JSON: explicit field names in a fixed order (no separator-free
 * concatenation whose field boundaries could shift), a format tag so the form can evolve.
 */
export function requestHash(request: CanonicalBuildRequest): string {
  const ordered = {
    format: 'fleetflash-build-request/2',
    distro: request.distro,
    version: request.version,
    version_code: request.version_code,
    target: request.target,
    profile: request.profile,
    packages: request.packages,
    packages_versions: request.packages_versions,
    diff_packages: request.diff_packages,
    defaults_sha256: request.defaults_sha256,
    rootfs_size_mb: request.rootfs_size_mb,
    filesystem: request.filesystem,
    repositories: request.repositories,
    repositories_mode: request.repositories_mode,
    repository_keys: request.repository_keys,
  };
  return sha256Hex(JSON.stringify(ordered));
}

/** Same package both added and removed: there is no single build that honours both. */
export function contradictoryPackages(packages: readonly string[]): string[] {
  const added = new Set(packages.filter((name) => !name.startsWith('-')));
  return packages.filter((name) => name.startsWith('-') && added.has(name.slice(1))).map((name) => name.slice(1));
}

/**
 * A repository URL is allowed when it has an allowed prefix's scheme and exact host, and its path below that prefix's.
 */
export function repositoryAllowed(url: string, allowList: readonly string[]): boolean {
  let candidate: URL;
  try {
    candidate = new URL(url);
  } catch {
    return false;
  }
  if (candidate.username || candidate.password) return false;
  return allowList.some((prefix) => {
    let allowed: URL;
    try {
      allowed = new URL(prefix);
    } catch {
      return false;
    }
    const base = allowed.pathname.endsWith('/') ? allowed.pathname : `${allowed.pathname}/`;
    return (
      candidate.protocol === allowed.protocol &&
      candidate.host === allowed.host &&
      `${candidate.pathname}/`.startsWith(base)
    );
  });
}
