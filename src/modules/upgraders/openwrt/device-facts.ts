/** Parsers for what an OpenWrt router prints about itself. Each is lenient: unknown input gives null or blanks. */

export interface ReleaseInfo {
  distribution: string;
  version: string;
  revision: string;
  target: string;
  /** E.g. "OpenWrt 23.05.3 r23809-234f1a2efa": what devices report as their OS string. */
  description: string;
}

export interface BoardInfo {
  boardName: string;
  model: string;
  release: ReleaseInfo;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : '');

/** `ubus call system board` → board name, model and release. */
export function parseBoardInfo(output: string): BoardInfo | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const board = parsed as { board_name?: unknown; model?: unknown; release?: Record<string, unknown> };
  if (typeof board.board_name !== 'string') return null;
  const release = board.release ?? {};
  return {
    boardName: board.board_name,
    model: asText(board.model),
    release: {
      distribution: asText(release.distribution),
      version: asText(release.version),
      revision: asText(release.revision),
      target: asText(release.target),
      description: asText(release.description),
    },
  };
}

/** `/etc/openwrt_release` (shell variables) → release. */
export function parseReleaseFile(content: string): ReleaseInfo {
  const values: Record<string, string> = {};
  for (const line of content.split('\n')) {
    const match = /^(DISTRIB_[A-Z]+)=(['"]?)(.*)\2\s*$/.exec(line.trim());
    if (match) values[match[1]!] = match[3]!;
  }
  return {
    distribution: values.DISTRIB_ID ?? '',
    version: values.DISTRIB_RELEASE ?? '',
    revision: values.DISTRIB_REVISION ?? '',
    target: values.DISTRIB_TARGET ?? '',
    description: values.DISTRIB_DESCRIPTION ?? '',
  };
}

/** `/proc/meminfo` → available memory in kB (MemAvailable, or MemFree on old kernels). */
export function parseMemAvailableKb(meminfo: string): number | null {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, 'm').exec(meminfo);
    return match ? Number(match[1]) : null;
  };
  return field('MemAvailable') ?? field('MemFree');
}

/** `df -k <path>` (busybox or coreutils) → available kB on that file system. */
export function parseDfAvailableKb(output: string): number | null {
  const lines = output.trim().split('\n').slice(1).join(' ').trim().split(/\s+/);
  // Filesystem 1K-blocks Used Available Use% Mounted-on (a long filesystem name may wrap the line).
  const available = Number(lines[3]);
  return Number.isFinite(available) ? available : null;
}
