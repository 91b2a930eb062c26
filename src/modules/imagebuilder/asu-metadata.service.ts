import type { Config } from '../../platform/config.js';
import {
  branchOf,
  branchOffRevision,
  compareVersionsDescending,
  type OpenwrtCatalog,
  packageChangesFor,
  resolveProfile,
} from './openwrt-catalog.js';

/**
 * The metadata documents ASU clients read (`/json/v1/…`, revisions, profiles), derived from what
 * upstream offers. Each function returns the document, or why there is none: the routes turn that
 * into ASU's statuses.
 */

export type Lookup<T> = { found: T } | { missing: 'version' | 'target' | 'document' };

const VERSION = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const TARGET_PART = /^[A-Za-z0-9_]+$/;

export async function revision(
  catalog: OpenwrtCatalog,
  version: string,
  target: string,
  subtarget: string,
): Promise<Lookup<{ revision: string }>> {
  if (!VERSION.test(version) || !TARGET_PART.test(target) || !TARGET_PART.test(subtarget))
    return { missing: 'version' };
  if (!(await catalog.isKnownVersion(version))) {
    // As ASU: a version of a branch the server has is looked up upstream, and is not there (404).
    const branch = branchOf(version);
    const known = branch === 'SNAPSHOT' || (await catalog.versions()).some((listed) => branchOf(listed) === branch);
    return { missing: known ? 'target' : 'version' };
  }
  const profiles = await catalog.profiles(version, `${target}/${subtarget}`);
  if (!profiles) return { missing: 'target' };
  return { found: { revision: profiles.version_code as string } };
}

/** The profiles of a target with readable titles, for choosing a model (fleetflash's own, not in ASU). */
export async function profileList(catalog: OpenwrtCatalog, version: string, target: string, subtarget: string) {
  if (!VERSION.test(version) || !(await catalog.isKnownVersion(version))) return { missing: 'version' } as const;
  const profiles =
    TARGET_PART.test(target) && TARGET_PART.test(subtarget)
      ? await catalog.profiles(version, `${target}/${subtarget}`)
      : null;
  if (!profiles) return { missing: 'target' } as const;
  return {
    found: {
      version_code: profiles.version_code ?? '',
      arch_packages: profiles.arch_packages,
      default_packages: profiles.default_packages ?? [],
      profiles: Object.entries(profiles.profiles)
        .map(([id, entry]) => ({
          id,
          title:
            (entry.titles ?? [])
              .map((title) =>
                'title' in title ? title.title : [title.vendor, title.model, title.variant].filter(Boolean).join(' '),
              )
              .join(' / ') || id,
          supported_devices: entry.supported_devices ?? [],
          device_packages: entry.device_packages ?? [],
        }))
        .sort((a, b) => a.title.localeCompare(b.title)),
    },
  };
}

/** Every branch with its versions (newest first), targets and package changes. */
export async function branches(catalog: OpenwrtCatalog) {
  const versions = await catalog.versions();
  const byBranch = new Map<string, string[]>();
  for (const version of versions)
    byBranch.set(branchOf(version), [...(byBranch.get(branchOf(version)) ?? []), version]);
  const result = [];
  for (const [name, list] of [...byBranch.entries()].sort(([a], [b]) => compareVersionsDescending(a, b))) {
    const sorted = [...list].sort(compareVersionsDescending);
    const branchOff = branchOffRevision(name);
    result.push({
      name,
      enabled: true,
      snapshot: name === 'SNAPSHOT',
      path: name === 'SNAPSHOT' ? 'snapshots' : 'releases/{version}',
      path_packages: 'DEPRECATED',
      ...(branchOff !== undefined ? { branch_off_rev: branchOff } : {}),
      git_branch: name === 'SNAPSHOT' ? 'master' : `openwrt-${name}`,
      package_changes: packageChangesFor(name),
      versions: sorted,
      targets: (await catalog.targets(sorted[0]!).catch(() => null)) ?? {},
    });
  }
  return result;
}

export async function overview(catalog: OpenwrtCatalog, settings: Config['imageBuilds'], serverVersion: string) {
  const list = await branches(catalog);
  return {
    latest: await catalog.latest(),
    branches: Object.fromEntries(list.map((branch) => [branch.name, branch])),
    upstream_url: settings.upstreamUrl,
    server: {
      version: serverVersion,
      contact: 'your fleetflash administrator',
      allow_defaults: settings.allowDefaults,
      repository_allow_list: settings.repositoryAllowList,
      max_custom_rootfs_size_mb: settings.maxRootfsSizeMb,
      max_defaults_length: settings.maxDefaultsLength,
      max_packages: settings.maxPackages,
    },
  };
}

/**
 * `{profile}.json`: upstream's profiles.json with the profile's entry merged in (`{}` for an
 * unknown profile, as ASU answers); `index.json`: the target's `{architecture, packages}`.
 */
export async function targetDocument(
  catalog: OpenwrtCatalog,
  version: string,
  target: string,
  file: string,
): Promise<Lookup<Record<string, unknown>>> {
  const name = /^([A-Za-z0-9_.,-]+)\.json$/.exec(file)?.[1];
  if (!name || !/^[A-Za-z0-9_]+\/[A-Za-z0-9_]+$/.test(target) || !(await catalog.isKnownVersion(version)))
    return { missing: 'document' };
  const profiles = await catalog.profiles(version, target);
  if (!profiles) return { missing: 'document' };
  if (name === 'index')
    return {
      found: {
        architecture: profiles.arch_packages,
        packages: await catalog.targetPackages(version, target, profiles),
      },
    };
  // Unlike ASU, board names and aliases find their profile here too.
  const id = resolveProfile(profiles, name);
  if (!id) return { found: {} };
  const { profiles: _all, ...top } = profiles;
  return {
    found: {
      ...top,
      ...profiles.profiles[id],
      id,
      build_at: new Date((profiles.source_date_epoch ?? 0) * 1000).toISOString(),
    },
  };
}

/** `{arch}-index.json`: the packages of an architecture, every configured feed merged. */
export async function archDocument(
  catalog: OpenwrtCatalog,
  feeds: readonly string[],
  version: string,
  file: string,
): Promise<Lookup<Record<string, string>>> {
  const arch = /^([A-Za-z0-9_.+-]+)-index\.json$/.exec(file)?.[1];
  if (!arch || !(await catalog.isKnownVersion(version))) return { missing: 'document' };
  return { found: await catalog.archPackages(version, arch, feeds) };
}
