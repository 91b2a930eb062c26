import { BuildRequestRefused, unavailable } from './build.service.js';
import { type OpenwrtCatalog, resolveProfile } from './openwrt-catalog.js';
import { UpstreamUnavailable } from './upstream.js';

/**
 * The first build API's request, made whole: ASU 0.3–0.4 lower-cased versions and let the target out
 * (the server found it from the profile). Refusals are BuildRequestRefused, as for `/api/v1/build`.
 */

/** Targets whose profiles are read at once while looking for a profile's target. */
const LOOKUP_CONCURRENCY = 4;

/** The version as the catalog spells it: `snapshot` means `SNAPSHOT`, `23.05.3-RC1` its known spelling. */
export async function legacyVersion(catalog: OpenwrtCatalog, version: string): Promise<string> {
  if (version.toLowerCase() === 'snapshot') return 'SNAPSHOT';
  const versions = await catalog.versions();
  return versions.find((known) => known.toLowerCase() === version.toLowerCase()) ?? version;
}

/**
 * The target that has a profile of this name or board name (`tplink,archer-c7-v2`), as ASU 0.3–0.4
 * looked it up. Only for the latest version of each branch (ASU 0.4 accepted no other without its
 * `support_legacy_versions`): each lookup may read every target's profiles.json of the version, and
 * bounding the versions bounds what a stranger can make the server fetch and keep. A target's lone
 * `generic` profile matches only by name.
 */
export async function legacyTarget(catalog: OpenwrtCatalog, version: string, profile: string): Promise<string> {
  try {
    if (!(await catalog.isKnownVersion(version)))
      throw new BuildRequestRefused(400, `Unsupported version: ${version}`, 'UNSUPPORTED_VERSION');
    if (!(await catalog.latest()).includes(version))
      throw new BuildRequestRefused(
        400,
        `Legacy version: ${version}. Without a target, only the latest release of a branch ` +
          `(${(await catalog.latest()).join(', ')}) is built; send the target to build another.`,
        'LEGACY_VERSION',
      );
    const targets = Object.keys((await catalog.targets(version)) ?? {}).sort();
    for (let start = 0; start < targets.length; start += LOOKUP_CONCURRENCY) {
      const batch = targets.slice(start, start + LOOKUP_CONCURRENCY);
      const matches = await Promise.all(
        batch.map(async (target) => {
          const profiles = await catalog.profiles(version, target);
          const id = profiles ? resolveProfile(profiles, profile) : null;
          return id !== null && (id !== 'generic' || profile === 'generic');
        }),
      );
      const index = matches.indexOf(true);
      if (index >= 0) return batch[index]!;
    }
  } catch (error) {
    if (error instanceof UpstreamUnavailable) throw unavailable(error);
    throw error;
  }
  throw new BuildRequestRefused(400, `Unsupported profile: ${profile.replace(/,/g, '_')}`, 'UNSUPPORTED_PROFILE');
}
