import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage.js';

/** Every option of every command: `parseArgs` rejects any other. */
export const CLI_OPTIONS = {
  username: { type: 'string' },
  password: { type: 'string' },
  email: { type: 'string' },
  superuser: { type: 'boolean' },
  organization: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  slug: { type: 'string' },
  'expires-in-days': { type: 'string' },
  devices: { type: 'string' },
  'base-port': { type: 'string' },
  seed: { type: 'string' },
  faults: { type: 'string' },
  'fault-rate': { type: 'string' },
  'reboot-seconds': { type: 'string' },
  register: { type: 'string' },
  secret: { type: 'string' },
  json: { type: 'string' },
  'json-file': { type: 'string' },
  board: { type: 'string' },
  agent: { type: 'boolean' },
  os: { type: 'string' },
  out: { type: 'string' },
  'size-mib': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** The command (positionals) and options of one command line. */
export function parseCommandLine(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, options: CLI_OPTIONS });
}

export type CliValues = ReturnType<typeof parseCommandLine>['values'];

export function requireOption(values: CliValues, name: keyof CliValues): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** A numeric option, `fallback` when absent; a usage error when it is not a number `check` accepts. */
export function numberOption(
  values: CliValues,
  name: keyof CliValues,
  fallback: number,
  check: (value: number) => boolean,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value))
    throw new UsageError(`--${name}: "${String(raw)}" is not a valid value`);
  return value;
}
