/**
 * Reads what the OpenWrt ImageBuilder prints: `make info`, `make manifest` (opkg and apk flavours)
 * and the package errors of a failed manifest or image, plus the `sha256sums` file of a target.
 */

export interface ImageBuilderInfo {
  revision: string | null;
  defaultPackages: string[];
  /** Packages of each profile (may hold `-name` removals). */
  profilePackages: Record<string, string[]>;
}

export function parseMakeInfo(stdout: string): ImageBuilderInfo {
  const revision = /^Current Revision: "(r[^"]*)"/m.exec(stdout)?.[1] ?? null;
  const defaultPackages = (/^Default Packages: *(.*)$/m.exec(stdout)?.[1] ?? '').split(/\s+/).filter(Boolean);
  const profilePackages: Record<string, string[]> = {};
  let current: string | null = null;
  for (const line of stdout.split('\n')) {
    const header = /^([A-Za-z0-9_][A-Za-z0-9_.,-]*):\s*$/.exec(line);
    if (header) {
      current = header[1]!;
      profilePackages[current] = [];
      continue;
    }
    const packages = /^\s+Packages: *(.*)$/.exec(line);
    if (current && packages) profilePackages[current] = packages[1]!.split(/\s+/).filter(Boolean);
  }
  return { revision, defaultPackages, profilePackages };
}

/** `name - version` (opkg) or `name version` (apk) lines → `{name: version}`. */
export function parseManifest(stdout: string): Record<string, string> {
  const manifest: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^([A-Za-z0-9_][A-Za-z0-9_.+,-]*)(?: - | )(\S+)\s*$/.exec(line.trim());
    if (match) manifest[match[1]!] = match[2]!;
  }
  return manifest;
}

export interface PackageErrors {
  missing: string[];
  conflicts: string[];
}

/** apk names a package with its version (`dnsmasq-full-2.90-r4`); opkg and ASU's samples do not. */
function withoutApkVersion(token: string): string {
  return /^(.+?)-\d[^-]*-r\d+$/.exec(token)?.[1] ?? token;
}

/**
 * Missing and conflicting packages from the stderr of a failed `make manifest` / `make image`, in
 * the shapes opkg (≤ 24.10) and apk (25.12+) print them:
 *
 * - opkg, missing: ` * opkg_install_cmd: Cannot install package X.`
 * - opkg, declared conflict: ` * check_conflicts_for: The following packages conflict with X:` then one
 *   line holding every other package, each as ` * check_conflicts_for: \tY` (opkg's collected errors
 *   are joined as they were pushed, so they share that line, which ends in ` * `).
 * - opkg, file clash: ` * check_data_file_clashes: Package X wants to install file F` and
 *   `\tBut that file is already provided by package  * Y`.
 * - apk, missing: `  X (no such package):` under `ERROR: unable to select packages:`.
 * - apk, conflict: `  X-1.0-r1:` then `    conflicts: Y-1.0-r1[name] …` (names with or without versions).
 * - apk, file clash: `ERROR: X-1.0-r1: trying to overwrite F owned by Y-1.0-r1.`
 *
 * A package in both lists counts as a conflict (opkg also says it cannot install a conflicting one).
 */
export function parsePackageErrors(stderr: string): PackageErrors {
  const missing = new Set<string>();
  const conflicts = new Set<string>();
  for (const match of stderr.matchAll(/Cannot install package ([^\s.]+(?:\.[^\s.]+)*)\./g)) missing.add(match[1]!);
  for (const match of stderr.matchAll(/^\s*(\S+) \(no such package\)/gm)) missing.add(match[1]!);
  const fileClash = new RegExp(
    String.raw`check_data_file_clashes: Package (\S+) wants to install file .*\n\s*` +
      String.raw`But that file is already provided by package\s+\*?\s*(\S+)`,
    'g',
  );
  for (const match of stderr.matchAll(fileClash)) {
    conflicts.add(match[1]!);
    conflicts.add(match[2]!);
  }
  for (const match of stderr.matchAll(
    /check_conflicts_for: The following packages conflict with (\S+?):?[ \t]*\n([^\n]*)/g,
  )) {
    conflicts.add(match[1]!);
    const others = match[2]!.replace(/\*\s*check_conflicts_for:/g, ' ').replace(/\*/g, ' ');
    for (const name of others.split(/\s+/).filter(Boolean)) conflicts.add(name);
  }
  for (const match of stderr.matchAll(/^[ \t]+(\S+?):[ \t]*\n[ \t]+conflicts: ([^\n]*)/gm)) {
    conflicts.add(withoutApkVersion(match[1]!));
    for (const other of match[2]!.matchAll(/(\S+?)(?:\[[^\]]*\])?(?:\s|$)/g))
      conflicts.add(withoutApkVersion(other[1]!));
  }
  for (const match of stderr.matchAll(/(?:ERROR: (\S+): )?trying to overwrite \S+ owned by (\S+?)\.?$/gm)) {
    if (match[1]) conflicts.add(withoutApkVersion(match[1]));
    conflicts.add(withoutApkVersion(match[2]!));
  }
  for (const name of conflicts) missing.delete(name);
  return { missing: [...missing].sort(), conflicts: [...conflicts].sort() };
}

/**
 * `Build/check-size` prints `WARNING: Image file <path> is too big: <size> > <limit>` on stderr and
 * deletes the image, and make goes on and exits 0; filesystem tools print "… out of space?" (x86's
 * ext4 root partition smaller than the packages) and make fails. Either means: too big.
 */
export function imageTooBig(output: string): boolean {
  return /is too big|out of space\?/.test(output);
}

/** `_check_profile` (make manifest / make image): `Profile "X" does not exist!` on stdout, exit 2. */
export function missingProfile(output: string): string | null {
  return /^Profile "([^"]*)" does not exist!/m.exec(output)?.[1] ?? null;
}

/**
 * The host check `make image` runs first (include/prereq-build.mk): `Checking 'x'... failed.` per
 * missing tool, `Build dependency: Please install …` lines, then `Prerequisite check failed. Use
 * FORCE=1 to override.` Null when the check did not fail.
 */
export function failedPrerequisites(stdout: string): { tools: string[]; advice: string[] } | null {
  if (!/Prerequisite check failed/.test(stdout)) return null;
  return {
    tools: [...stdout.matchAll(/Checking '([^']+)'\.\.\. failed\./g)].map((match) => match[1]!),
    advice: [...stdout.matchAll(/^Build dependency: (.+)$/gm)].map((match) => match[1]!.trim()),
  };
}

/** `sha256sums` lines `<hash> *<file>` → `{file: hash}`. */
export function parseSha256Sums(text: string): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *]?(\S+)$/.exec(line.trim());
    if (match) sums[match[2]!] = match[1]!;
  }
  return sums;
}

/** The ImageBuilder archive of a sha256sums listing (x86-64 host; zstd or xz). */
export function findImageBuilderArchive(sums: Record<string, string>): { name: string; sha256: string } | null {
  const name = Object.keys(sums).find((file) =>
    /^(openwrt|[a-z0-9]+)-imagebuilder-.*\.Linux-x86_64\.tar\.(zst|xz)$/.test(file),
  );
  return name ? { name, sha256: sums[name]! } : null;
}
