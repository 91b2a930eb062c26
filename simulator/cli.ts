import { writeFileSync } from 'node:fs';
import { type BoardSpec, Fleet, SIMULATED_BOARDS } from './fleet.js';
import { makeSampleImage } from './sample-image.js';
import type { FaultName } from './router.js';

/** `fleetflash simulate`: a fleet of simulated OpenWrt routers in this process until interrupted. */

export const FAULT_NAMES: readonly FaultName[] = [
  'transfer-cut',
  'auth-refused',
  'never-returns',
  'old-release',
  'slow-link',
  'low-memory',
  'board-mismatch',
  'changed-host-key',
  'wrong-address',
  'backup-fails',
  'health-fails',
  'pull-blocked',
];

export interface SimulateOptions {
  devices: number;
  basePort: number;
  seed: number;
  faults: FaultName[];
  faultRate: number;
  rebootSeconds: number;
  /** The boards, taken in turn (default: every simulated board, a mix). */
  boards?: readonly BoardSpec[];
  password: string;
  register?: { url: string; organization: string; secret: string };
  jsonFile?: string;
  /** Routers in pull mode (the agent) instead of SSH servers: they need `register`. */
  agent?: boolean;
}

export async function runSimulation(
  options: SimulateOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<Fleet> {
  const fleet = new Fleet({
    count: options.devices,
    basePort: options.basePort,
    seed: options.seed,
    faults: options.faults,
    faultRate: options.faultRate,
    rebootMs: options.rebootSeconds * 1000,
    password: options.password,
    ...(options.boards ? { boards: options.boards } : {}),
    ...(options.register ? { register: options.register } : {}),
    ...(options.agent ? { mode: 'agent' as const } : {}),
    onLog: (message) => out.write(`${message}\n`),
  });
  await fleet.start();
  const description = fleet.describe();
  const json = JSON.stringify({ routers: description }, null, 2);
  if (options.jsonFile) writeFleetJson(fleet, options.jsonFile);
  const ports = description.map((router) => router.port);
  const faulty = description.filter((router) => Object.keys(router.faults).length > 0);
  out.write(
    [
      options.agent
        ? `Simulating ${description.length} OpenWrt routers in pull mode: each runs the agent and polls the server.`
        : `Simulating ${description.length} OpenWrt routers on 127.0.0.1, ` +
          `ports ${Math.min(...ports)}–${Math.max(...ports)}; log in as root / ${options.password}.`,
      ...(faulty.length
        ? [
            `${faulty.length} have ` +
              `faults: ${faulty.map((router) => `${router.name} ${Object.keys(router.faults).join('+')}`).join(', ')}.`,
          ]
        : []),
      options.register
        ? `${options.agent ? 'Enrolled' : 'Registered'} with ${options.register.url} ` +
          `(organization ${options.register.organization}).`
        : 'Not registered with a server (use --register URL --organization SLUG --secret SECRET).',
      options.jsonFile ? `Router list written to ${options.jsonFile}.` : json,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  return fleet;
}

/** `--board`: one board name, or `mix` (every simulated board in turn). Null when unknown. */
export function boardsFor(choice: string): readonly BoardSpec[] | null {
  if (choice === 'mix') return SIMULATED_BOARDS;
  const board = SIMULATED_BOARDS.find((candidate) => candidate.boardName === choice);
  return board ? [board] : null;
}

/** The routers as they are now (each with its flash count and the release it runs), as JSON. */
export function writeFleetJson(fleet: Fleet, file: string): void {
  writeFileSync(file, `${JSON.stringify({ routers: fleet.describe() }, null, 2)}\n`);
}

/** What a run did, for benchmarks and side-by-side runs: flashes per router and the releases they end on. */
export function fleetSummary(fleet: Fleet): string {
  const routers = fleet.describe();
  const byFlashes = new Map<number, number>();
  const byRelease = new Map<string, number>();
  for (const router of routers) {
    byFlashes.set(router.flash_count, (byFlashes.get(router.flash_count) ?? 0) + 1);
    byRelease.set(router.release, (byRelease.get(router.release) ?? 0) + 1);
  }
  const flashes = [...byFlashes]
    .sort(([a], [b]) => a - b)
    .map(([count, routersWith]) => `${routersWith} flashed ${count === 1 ? 'once' : `${count} times`}`);
  const releases = [...byRelease]
    .sort(([, a], [, b]) => b - a)
    .map(([release, routersOn]) => `${routersOn} on ${release}`);
  return [
    `Summary of ${routers.length} simulated routers: ${flashes.join(', ')}.`,
    `Releases: ${releases.join(', ')}.`,
    '',
  ].join('\n');
}

/** `fleetflash sample-image`: a sysupgrade-shaped image for a simulated board and release. */
export function writeSampleImage(options: { boardName: string; os: string; out: string; sizeMiB: number }): string {
  const board = SIMULATED_BOARDS.find((candidate) => candidate.boardName === options.boardName);
  if (!board)
    throw new Error(
      `unknown board ${options.boardName}: ` +
        `choose ${SIMULATED_BOARDS.map((candidate) => candidate.boardName).join(' or ')}`,
    );
  const match = /^OpenWrt (\S+) (\S+)$/.exec(options.os);
  if (!match) throw new Error('--os must look like "OpenWrt 23.05.3 r23809-234f1a2efa"');
  const image = makeSampleImage({
    payloadSize: Math.round(options.sizeMiB * 1024 * 1024),
    supportedDevices: [board.boardName],
    target: board.target,
    board: board.boardName.replace(',', '_'),
    version: match[1]!,
    revision: match[2]!,
  });
  writeFileSync(options.out, image);
  return `openwrt-${match[1]}-${board.imageType}`;
}
