import { writeFileSync } from 'node:fs';
import { Fleet, SIMULATED_BOARDS } from './fleet.js';
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
];

export interface SimulateOptions {
  devices: number;
  basePort: number;
  seed: number;
  faults: FaultName[];
  faultRate: number;
  rebootSeconds: number;
  password: string;
  register?: { url: string; organization: string; secret: string };
  jsonFile?: string;
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
    ...(options.register ? { register: options.register } : {}),
    onLog: (message) => out.write(`${message}\n`),
  });
  await fleet.start();
  const description = fleet.describe();
  const json = JSON.stringify({ routers: description }, null, 2);
  if (options.jsonFile) writeFileSync(options.jsonFile, `${json}\n`);
  const ports = description.map((router) => router.port);
  const faulty = description.filter((router) => Object.keys(router.faults).length > 0);
  out.write(
    [
      `Simulating ${description.length} OpenWrt routers on 127.0.0.1, ` +
        `ports ${Math.min(...ports)}–${Math.max(...ports)}; log in as root / ${options.password}.`,
      ...(faulty.length
        ? [
            `${faulty.length} have ` +
              `faults: ${faulty.map((router) => `${router.name} ${Object.keys(router.faults).join('+')}`).join(', ')}.`,
          ]
        : []),
      options.register
        ? `Registered with ${options.register.url} (organization ${options.register.organization}).`
        : 'Not registered with a server (use --register URL --organization SLUG --secret SECRET).',
      options.jsonFile ? `Router list written to ${options.jsonFile}.` : json,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  return fleet;
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
