import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CustomUpgrader } from '../../platform/settings.js';
import { openwrtUpgrader, type OpenWrtSettings } from './openwrt/openwrt.upgrader.js';
import type { Upgrader } from './upgrader.js';

/**
 * Which upgrader handles a device, by its OS string. Custom upgraders (setting `upgraders`) are
 * tried first, in order; the built-in OpenWrt upgrader handles OpenWrt and LEDE, and devices that
 * have not reported an OS yet.
 */
export interface UpgraderRegistry {
  forOs(os: string): Upgrader | null;
  /**
   * The upgrader of one device: the pull agent's (whatever the OS) for a device its agent manages,
   * else the one of its OS.
   */
  forDevice(device: { os: string; management: string }): Upgrader | null;
  readonly entries: readonly { pattern: RegExp; upgrader: Upgrader }[];
  /** The pull agent's upgrader (src/modules/agent/agent.upgrader.ts), when this process has one. */
  readonly agent: Upgrader | null;
}

export const OPENWRT_OS_PATTERN = /^(|OpenWrt\b.*|LEDE\b.*)$/i;

export function createUpgraderRegistry(
  entries: { pattern: RegExp; upgrader: Upgrader }[],
  agent: Upgrader | null = null,
): UpgraderRegistry {
  const forOs = (os: string) => entries.find((entry) => entry.pattern.test(os))?.upgrader ?? null;
  return {
    entries,
    agent,
    forOs,
    forDevice: (device) => (device.management === 'agent' ? agent : forOs(device.os)),
  };
}

/** The registry with the pull agent's upgrader added (the composition builds it: it needs the database). */
export function withAgentUpgrader(registry: UpgraderRegistry, agent: Upgrader): UpgraderRegistry {
  return createUpgraderRegistry([...registry.entries], agent);
}

function isUpgrader(value: unknown): value is Upgrader {
  const candidate = value as Partial<Upgrader> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.upgrade === 'function' &&
    typeof candidate.verify === 'function' &&
    typeof candidate.normalizeOptions === 'function' &&
    Array.isArray(candidate.optionDefinitions)
  );
}

/** Loads custom upgrader modules (their default export, or a factory taking the OpenWrt settings). */
export async function loadUpgraderRegistry(
  custom: readonly CustomUpgrader[],
  openwrt: OpenWrtSettings,
  cwd = process.cwd(),
): Promise<UpgraderRegistry> {
  const entries: { pattern: RegExp; upgrader: Upgrader }[] = [];
  for (const { osPattern, module } of custom) {
    const url = pathToFileURL(path.resolve(cwd, module)).href;
    let loaded: { default?: unknown };
    try {
      loaded = (await import(url)) as { default?: unknown };
    } catch (error) {
      throw new Error(`Custom upgrader ${module} could not be loaded: ${(error as Error).message}`, { cause: error });
    }
    const exported =
      typeof loaded.default === 'function'
        ? (loaded.default as (settings: OpenWrtSettings) => unknown)(openwrt)
        : loaded.default;
    if (!isUpgrader(exported)) {
      throw new Error(
        `Custom upgrader ${module} must export an Upgrader (name, optionDefinitions, normalizeOptions, upgrade, ` +
          `verify) as its default export.`,
      );
    }
    entries.push({ pattern: new RegExp(osPattern), upgrader: exported });
  }
  entries.push({ pattern: OPENWRT_OS_PATTERN, upgrader: openwrtUpgrader(openwrt) });
  return createUpgraderRegistry(entries);
}
