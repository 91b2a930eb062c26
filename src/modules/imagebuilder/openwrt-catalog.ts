import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../platform/paths.js';
import type { UpstreamMetadata } from './upstream.js';

/**
 * What the upstream says exists: versions and their branches, targets, profiles and packages.
 * All derived from UpstreamMetadata's cached documents; nothing here is configured by hand except
 * the package-changes table (package-changes.json).
 */

export interface VersionsDocument {
  stable_version?: string;
  oldstable_version?: string;
  upcoming_version?: string;
  versions_list?: string[];
}

export interface ProfileEntry {
  device_packages?: string[];
  image_prefix?: string;
  images?: { filesystem?: string; name: string; sha256?: string; sha256_unsigned?: string; type: string }[];
  supported_devices?: string[];
  titles?: ({ vendor?: string; model?: string; variant?: string } | { title: string })[];
}

export interface ProfilesDocument {
  arch_packages: string;
  default_packages?: string[];
  metadata_version?: number;
  profiles: Record<string, ProfileEntry>;
  source_date_epoch?: number;
  target: string;
  version_code?: string;
  version_number?: string;
  linux_kernel?: { version: string; release: string; vermagic: string };
}

export interface PackageChange {
  source?: string;
  target?: string;
  revision: number;
  mandatory?: boolean;
}

const PACKAGE_CHANGES = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'src', 'modules', 'imagebuilder', 'package-changes.json'), 'utf8'),
) as {
  branch_off_rev: Record<string, number>;
  changes: PackageChange[];
};

export function isSnapshot(version: string): boolean {
  return /snapshot$/i.test(version);
}

/** Folder of a version on the download server. */
export function versionPath(version: string): string {
  return version.toUpperCase() === 'SNAPSHOT' ? 'snapshots' : `releases/${version}`;
}

/** Branch of a version: 24.10.2 → 24.10, 24.10.0-rc1 → 24.10, 24.10-SNAPSHOT → 24.10, SNAPSHOT → SNAPSHOT. */
export function branchOf(version: string): string {
  if (version.toUpperCase() === 'SNAPSHOT') return 'SNAPSHOT';
  const snapshot = /^(.*)-SNAPSHOT$/i.exec(version);
  if (snapshot) return snapshot[1]!;
  const parts = version.split('-')[0]!.split('.');
  return parts.length > 2 ? parts.slice(0, -1).join('.') : parts.join('.');
}

/** Newest first; 24.10.0-rc6 comes before (is older than) 24.10.0; snapshots after their branch's releases. */
export function compareVersionsDescending(a: string, b: string): number {
  const key = (version: string) => {
    const snapshot = isSnapshot(version);
    const [main = '', suffix = ''] = version.replace(/-SNAPSHOT$/i, '').split('-', 2);
    const numbers = main.split('.').map((part) => Number.parseInt(part, 10) || 0);
    const rc = /^rc(\d+)$/i.exec(suffix);
    return { numbers, rank: snapshot ? -1 : rc ? Number(rc[1]) : Number.MAX_SAFE_INTEGER };
  };
  if (a.toUpperCase() === 'SNAPSHOT') return -1;
  if (b.toUpperCase() === 'SNAPSHOT') return 1;
  const ka = key(a);
  const kb = key(b);
  for (let index = 0; index < Math.max(ka.numbers.length, kb.numbers.length); index += 1) {
    const difference = (kb.numbers[index] ?? 0) - (ka.numbers[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return kb.rank - ka.rank;
}

/** The numeric part of a revision: r23809-234f1a2efa → 23809. */
export function revisionNumber(versionCode: string | undefined): number | null {
  const match = /^r(\d+)/.exec(versionCode ?? '');
  return match ? Number(match[1]) : null;
}

export function packageChangesFor(branch: string): PackageChange[] {
  const branchOff = PACKAGE_CHANGES.branch_off_rev[branch];
  if (branch === 'SNAPSHOT' || branchOff === undefined) return PACKAGE_CHANGES.changes;
  return PACKAGE_CHANGES.changes.filter((change) => change.revision <= branchOff);
}

export function branchOffRevision(branch: string): number | undefined {
  return PACKAGE_CHANGES.branch_off_rev[branch];
}

/** Table entries for these names that happened by this revision (all of them when the revision is unknown). */
function changesAt(names: readonly string[], versionCode: string | undefined): PackageChange[] {
  const revision = revisionNumber(versionCode);
  return PACKAGE_CHANGES.changes.filter(
    (change) =>
      change.source !== undefined &&
      names.includes(change.source) &&
      (revision === null || change.revision <= revision),
  );
}

/** Renames that explain a missing package: `auc` → `owut` for a version past the change. */
export function renameSuggestions(names: readonly string[], versionCode: string | undefined): Record<string, string> {
  const suggestions: Record<string, string> = {};
  for (const change of changesAt(names, versionCode)) if (change.target) suggestions[change.source!] = change.target;
  return suggestions;
}

/**
 * Packages dropped upstream (an entry with a source and no target, as owut and auc read it) by this
 * version: name → the revision that dropped it. `kmod-nft-nat6` from r20282 on.
 */
export function removalsAt(names: readonly string[], versionCode: string | undefined): Record<string, number> {
  const removed: Record<string, number> = {};
  for (const change of changesAt(names, versionCode)) if (!change.target) removed[change.source!] = change.revision;
  return removed;
}

/** An `index.json`: v2 (`"version": 2`) names packages without ABI suffixes; v1 (no version) with them. */
export function parsePackageIndexJson(body: string): { abiFree: boolean; packages: Record<string, string> } {
  const parsed = JSON.parse(body) as { version?: number; packages?: Record<string, string> };
  return { abiFree: (parsed.version ?? 1) >= 2, packages: parsed.packages ?? {} };
}

/** Names in an index: `index.json` (v2: `{packages: {name: version}}`) or an opkg `Packages` file. */
export function parsePackageIndex(body: string): Record<string, string> {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as { packages?: Record<string, string> };
    return parsed.packages ?? {};
  }
  const packages: Record<string, string> = {};
  for (const stanza of body.split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}: *(.*)$`, 'm').exec(stanza)?.[1]?.trim();
    let name = field('Package');
    if (!name) continue;
    const abi = field('ABIVersion');
    if (abi && name.endsWith(abi)) name = name.slice(0, -abi.length);
    packages[name] = field('Version') ?? '';
  }
  return packages;
}

/** The profile id a requested profile or board name stands for, or null. */
export function resolveProfile(document: ProfilesDocument, requested: string): string | null {
  const wanted = requested.replace(/,/g, '_');
  if (document.profiles[wanted]) return wanted;
  for (const [id, profile] of Object.entries(document.profiles)) {
    if ((profile.supported_devices ?? []).some((alias) => alias.replace(/,/g, '_') === wanted)) return id;
  }
  const ids = Object.keys(document.profiles);
  if (ids.length === 1 && ids[0] === 'generic') return 'generic';
  return null;
}

export class OpenwrtCatalog {
  constructor(readonly upstream: UpstreamMetadata) {}

  async versionsDocument(revalidate = false): Promise<VersionsDocument> {
    return (await this.upstream.json<VersionsDocument>('.versions.json', { revalidate })) ?? {};
  }

  /** Every listed version, newest first. */
  async versions(revalidate = false): Promise<string[]> {
    const document = await this.versionsDocument(revalidate);
    const all = new Set([
      ...(document.upcoming_version ? [document.upcoming_version] : []),
      ...(document.versions_list ?? []),
    ]);
    return [...all].sort(compareVersionsDescending);
  }

  async latest(): Promise<string[]> {
    const document = await this.versionsDocument();
    return [
      ...new Set(
        [document.upcoming_version, document.stable_version, document.oldstable_version].filter(
          (value): value is string => Boolean(value),
        ),
      ),
    ];
  }

  /**
   * Known: listed in .versions.json (checked again once on a miss, for a release published since),
   * or a snapshot whose targets the upstream has.
   */
  async isKnownVersion(version: string): Promise<boolean> {
    if ((await this.versions()).includes(version)) return true;
    if ((await this.versions(true)).includes(version)) return true;
    return isSnapshot(version) && (await this.targets(version)) !== null;
  }

  async targets(version: string, revalidate = false): Promise<Record<string, string> | null> {
    return this.upstream.json<Record<string, string>>(`${versionPath(version)}/.targets.json`, { revalidate });
  }

  async profiles(version: string, target: string, revalidate = false): Promise<ProfilesDocument | null> {
    return this.upstream.json<ProfilesDocument>(`${versionPath(version)}/targets/${target}/profiles.json`, {
      revalidate,
    });
  }

  /**
   * A feed's packages. index.json v2 (24.10+, and the apk era) has names without ABI suffixes; a v1
   * index.json (23.05) has them (`libubus20231128`), so the opkg `Packages` file beside it is read
   * instead, as ASU does, and the v1 names serve only when there is no `Packages`.
   */
  private async index(pathName: string): Promise<Record<string, string>> {
    const json = await this.upstream.derived(`${pathName}/index.json`, parsePackageIndexJson);
    if (json?.abiFree) return json.packages;
    const packages = await this.upstream.derived(`${pathName}/Packages`, parsePackageIndex);
    return packages ?? json?.packages ?? {};
  }

  /** Target packages (kmods included) as `{name: version}`. */
  async targetPackages(version: string, target: string, profiles: ProfilesDocument): Promise<Record<string, string>> {
    const base = `${versionPath(version)}/targets/${target}`;
    const kernel = profiles.linux_kernel;
    const [packages, kmods] = await Promise.all([
      this.index(`${base}/packages`),
      kernel ? this.index(`${base}/kmods/${kernel.version}-${kernel.release}-${kernel.vermagic}`) : Promise.resolve({}),
    ]);
    return { ...packages, ...kmods };
  }

  /** Packages of every configured feed of an architecture, merged. */
  async archPackages(version: string, arch: string, feeds: readonly string[]): Promise<Record<string, string>> {
    const indexes = await Promise.all(
      feeds.map((feed) => this.index(`${versionPath(version)}/packages/${arch}/${feed}`)),
    );
    return Object.assign({}, ...indexes) as Record<string, string>;
  }

  /** Every package name a build of this version/target may ask for. */
  async availablePackages(
    version: string,
    target: string,
    profiles: ProfilesDocument,
    feeds: readonly string[],
  ): Promise<Set<string>> {
    const [targetPackages, archPackages] = await Promise.all([
      this.targetPackages(version, target, profiles),
      this.archPackages(version, profiles.arch_packages, feeds),
    ]);
    const names = new Set([
      ...Object.keys(targetPackages),
      ...Object.keys(archPackages),
      ...(profiles.default_packages ?? []),
    ]);
    for (const profile of Object.values(profiles.profiles))
      for (const name of profile.device_packages ?? []) if (!name.startsWith('-')) names.add(name);
    return names;
  }
}
