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

/**
 * Missing and conflicting packages from a failed manifest/image: opkg "Cannot install package X."
 * and "check_data_file_clashes"/"check_conflicts_for", apk "X (no such package)" and "conflicts:".
 * A package in both lists counts as a conflict (opkg also says it cannot install a conflicting one).
 */
export function parsePackageErrors(stderr: string): PackageErrors {
  const missing = new Set<string>();
  const conflicts = new Set<string>();
  for (const match of stderr.matchAll(/Cannot install package ([^\s.]+(?:\.[^\s.]+)*)\./g)) missing.add(match[1]!);
  for (const match of stderr.matchAll(/^\s*([A-Za-z0-9_][A-Za-z0-9_.+,-]*) \(no such package\)/gm))
    missing.add(match[1]!);
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
    /check_conflicts_for: The following packages conflict with (\S+?):?\n((?:\s*\*\s*\S+\n?)+)/g,
  )) {
    conflicts.add(match[1]!);
    for (const other of match[2]!.matchAll(/\*\s*(\S+)/g)) conflicts.add(other[1]!);
  }
  for (const match of stderr.matchAll(/^\s*(\S+?)-[0-9][^\s:]*:\n\s+conflicts: (\S+?)-[0-9]/gm)) {
    conflicts.add(match[1]!);
    conflicts.add(match[2]!);
  }
  for (const match of stderr.matchAll(/trying to overwrite \S+ owned by (\S+?)-[0-9]/g)) conflicts.add(match[1]!);
  for (const name of conflicts) missing.delete(name);
  return { missing: [...missing].sort(), conflicts: [...conflicts].sort() };
}

export function imageTooBig(output: string): boolean {
  return /is too big|out of space\?/.test(output);
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
