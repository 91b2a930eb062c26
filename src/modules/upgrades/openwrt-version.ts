/**
 * Ordering of OpenWrt release versions, to tell a downgrade from an upgrade. OpenWrt names releases
 * `YY.MM.N` (23.05.3), release candidates `YY.MM.N-rcK` (23.05.0-rc1, before 23.05.0), branch
 * snapshots `YY.MM-SNAPSHOT` (the 23.05 branch's head: after every 23.05.N release, before 24.10.0)
 * and the main branch `SNAPSHOT`. The main branch has no place in that order (it moves daily and is
 * not a release), so a comparison with it, or with anything that is not a version, is unknown:
 * fleetflash then never calls a move a downgrade.
 */

export interface OpenWrtVersion {
  /** Year, month, point release; a branch snapshot sorts after every point release of its branch. */
  numbers: [number, number, number];
  /** Release candidate number; null for a final release (which sorts after its candidates). */
  rc: number | null;
  branchSnapshot: boolean;
}

const VERSION = /^(\d+)\.(\d+)(?:\.(\d+))?(?:-(rc(\d+)|SNAPSHOT))?(?:[-+].*)?$/i;

/** Parses one version string; null for the main-branch SNAPSHOT and anything unrecognised. */
export function parseOpenWrtVersion(text: string): OpenWrtVersion | null {
  const match = VERSION.exec(text.trim());
  if (!match) return null;
  const branchSnapshot = match[4] !== undefined && match[4].toUpperCase() === 'SNAPSHOT';
  if (branchSnapshot && match[3] !== undefined) return null;
  if (!branchSnapshot && match[3] === undefined) return null;
  return {
    numbers: [Number(match[1]), Number(match[2]), branchSnapshot ? Number.POSITIVE_INFINITY : Number(match[3])],
    rc: match[5] !== undefined ? Number(match[5]) : null,
    branchSnapshot,
  };
}

/** The first word of an OS string or build label that is a version ("OpenWrt 23.05.3 r23809-…" → 23.05.3). */
export function findOpenWrtVersion(text: string | null | undefined): OpenWrtVersion | null {
  for (const word of (text ?? '').split(/\s+/)) {
    const version = parseOpenWrtVersion(word);
    if (version) return version;
  }
  return null;
}

/**
 * The release something runs or installs, from its OS string first (what a device reports, or a build's
 * OS identifier), else from a version label (a build's version): the one reading of both the mass
 * upgrade plan and the single upgrade's confirmation.
 */
export function releaseOf(os: string | null | undefined, version: string | null | undefined): OpenWrtVersion | null {
  return findOpenWrtVersion(os) ?? findOpenWrtVersion(version);
}

/**
 * The release a device runs, as both the single upgrade and the mass upgrade judge a downgrade: the OS string
 * it reports, else (empty or unparseable) the version of the build its firmware record names. `parse` lets
 * a plan of 100,000 devices parse each distinct string once.
 */
export function deviceRelease(
  os: string | null,
  firmwareBuildVersion: string | null,
  parse: (text: string | null) => OpenWrtVersion | null = findOpenWrtVersion,
): OpenWrtVersion | null {
  return parse(os) ?? parse(firmwareBuildVersion);
}

/** -1, 0 or 1 as `a` is older than, the same release as, or newer than `b`. */
export function compareOpenWrtVersions(a: OpenWrtVersion, b: OpenWrtVersion): number {
  // Compared, not subtracted: a branch snapshot's point number is Infinity, and Infinity - Infinity is NaN.
  for (let index = 0; index < 3; index += 1) {
    const left = a.numbers[index]!;
    const right = b.numbers[index]!;
    if (left !== right) return left < right ? -1 : 1;
  }
  // A final release comes after its release candidates.
  const rcA = a.rc ?? Number.POSITIVE_INFINITY;
  const rcB = b.rc ?? Number.POSITIVE_INFINITY;
  return rcA === rcB ? 0 : rcA < rcB ? -1 : 1;
}

/** Whether moving from `current` to `target` goes back to an older release; false when either is unknown. */
export function isDowngrade(current: OpenWrtVersion | null, target: OpenWrtVersion | null): boolean {
  return current !== null && target !== null && compareOpenWrtVersions(current, target) > 0;
}
