import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CustomImageType } from '../../platform/settings.js';
import { PROJECT_ROOT } from '../../platform/paths.js';

/**
 * The hardware table: image type (the sysupgrade file name without `openwrt-<version>-`) → label
 * and the board names a router of that model reports. Built-in entries ship as a data file;
 * the `custom_openwrt_images` setting adds or overrides entries.
 */
export interface HardwareEntry {
  label: string;
  boards: string[];
}

export type HardwareTable = ReadonlyMap<string, HardwareEntry>;

export const HARDWARE_TABLE_FILE = path.join(PROJECT_ROOT, 'src', 'modules', 'firmware', 'hardware-table.json');

export function loadBuiltinHardwareTable(): Record<string, HardwareEntry> {
  return JSON.parse(readFileSync(HARDWARE_TABLE_FILE, 'utf8')) as Record<string, HardwareEntry>;
}

export function buildHardwareTable(
  custom: readonly CustomImageType[],
  builtin = loadBuiltinHardwareTable(),
): HardwareTable {
  const table = new Map<string, HardwareEntry>(Object.entries(builtin));
  for (const entry of custom) table.set(entry.type, { label: entry.label, boards: [...entry.boards] });
  return table;
}

const VERSION_SEGMENT = /^(\d+\.\d+(\.\d+)?(-(rc\d+|snapshot))?|snapshot|r\d+-[0-9a-f]+)$/i;

/**
 * Derives an image type from an uploaded file name. When the name ends with a known type, that
 * type wins (it survives custom prefixes such as an EXTRA_IMAGE_NAME); otherwise the `openwrt-`
 * prefix and a following version segment are dropped.
 */
export function deriveImageType(fileName: string, table: HardwareTable): string {
  const base = path.basename(fileName);
  let best: string | null = null;
  for (const type of table.keys()) {
    if ((base === type || base.endsWith(`-${type}`)) && (best === null || type.length > best.length)) best = type;
  }
  if (best) return best;
  const parts = base.split('-');
  if (parts[0]?.toLowerCase() === 'openwrt' || parts[0]?.toLowerCase() === 'lede') {
    parts.shift();
    if (parts.length > 1 && VERSION_SEGMENT.test(parts[0]!)) parts.shift();
    // "23.05-SNAPSHOT" splits in two at the dash.
    if (parts.length > 1 && /^snapshot$/i.test(parts[0]!)) parts.shift();
  }
  return parts.join('-');
}
