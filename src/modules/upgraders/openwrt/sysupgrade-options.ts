import { AppError } from '../../../platform/errors.js';
import type { UpgradeOptionDefinition } from '../upgrader.js';

/**
 * The sysupgrade flags an operator may choose, in the order they are passed. `c` is on by default,
 * except when `n` is chosen (they contradict each other, so choosing `n` alone means "keep nothing").
 */
export const SYSUPGRADE_OPTIONS: readonly UpgradeOptionDefinition[] = [
  {
    key: 'c',
    label: 'Keep changed files in /etc',
    description: 'sysupgrade -c: preserve all changed files in /etc (the usual choice).',
    default: true,
    dangerous: false,
  },
  {
    key: 'o',
    label: 'Keep all changed files',
    description: 'sysupgrade -o: preserve all changed files in /, except package files.',
    default: false,
    dangerous: false,
  },
  {
    key: 'n',
    label: 'Do not keep configuration',
    description:
      'sysupgrade -n: flash without saving configuration. The device comes back with factory settings (and a new ' +
      'SSH host key): it may become unreachable.',
    default: false,
    dangerous: true,
  },
  {
    key: 'u',
    label: 'Skip unchanged files',
    description: 'sysupgrade -u: leave files identical to /rom out of the backup.',
    default: false,
    dangerous: false,
  },
  {
    key: 'p',
    label: 'Do not restore the partition table',
    description: 'sysupgrade -p: do not restore the partition table (some devices).',
    default: false,
    dangerous: false,
  },
  {
    key: 'k',
    label: 'Keep the package list',
    description: 'sysupgrade -k: include the list of installed packages in the backup.',
    default: false,
    dangerous: false,
  },
  {
    key: 'F',
    label: 'Force',
    description:
      'sysupgrade -F: flash even if the image checks fail (wrong board, bad metadata). Can brick the device.',
    default: false,
    dangerous: true,
  },
];

const KEYS = new Set(SYSUPGRADE_OPTIONS.map((option) => option.key));

export function normalizeSysupgradeOptions(input: Record<string, unknown>): Record<string, boolean> {
  const problems: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!KEYS.has(key)) problems[key] = `unknown option: use ${[...KEYS].join(', ')}`;
    else if (typeof value !== 'boolean' && value !== null) problems[key] = 'must be true or false';
  }
  if (Object.keys(problems).length > 0) {
    throw new AppError(
      'InvalidUpgradeOptions',
      `Invalid upgrade options: ${Object.entries(problems)
        .map(([key, message]) => `"${key}" ${message}`)
        .join('; ')}.`,
      problems,
    );
  }
  const chosen = (key: string) => (input[key] === null ? undefined : (input[key] as boolean | undefined));
  const n = chosen('n') ?? false;
  const options: Record<string, boolean> = {};
  for (const option of SYSUPGRADE_OPTIONS) {
    options[option.key] = chosen(option.key) ?? (option.key === 'c' ? !n : option.default);
  }
  if (options.n && options.c)
    problems.c = 'The "-n" and "-c" options cannot be used together: -n keeps no configuration, -c keeps /etc.';
  if (options.n && options.o)
    problems.o =
      'The "-n" and "-o" options cannot be used together: -n keeps no configuration, -o keeps changed files.';
  if (Object.keys(problems).length > 0) {
    throw new AppError('InvalidUpgradeOptions', Object.values(problems).join(' '), problems);
  }
  return options;
}

/** `-c -n …` from normalized options, in a fixed order. */
export function sysupgradeFlags(options: Record<string, boolean>): string[] {
  return SYSUPGRADE_OPTIONS.filter((option) => options[option.key]).map((option) => `-${option.key}`);
}
