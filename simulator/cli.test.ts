import { afterEach, describe, expect, it } from 'vitest';
import { simulateCommand } from '../src/cli/simulate.js';
import { boardsFor, fleetSummary, runSimulation } from './cli.js';
import type { Fleet } from './fleet.js';

/** `fleetflash simulate` options for benchmarks and side-by-side runs: one board or a mix, and the summary. */

const fleets: Fleet[] = [];
afterEach(async () => {
  for (const fleet of fleets.splice(0)) await fleet.stop();
});

const quiet = { write: () => true } as unknown as NodeJS.WritableStream;

describe('simulate options', () => {
  it('runs one board for every router, or a mix of every simulated board', async () => {
    const one = await runSimulation(
      {
        devices: 3,
        basePort: 0,
        seed: 1,
        faults: [],
        faultRate: 0,
        rebootSeconds: 1,
        password: 'p',
        boards: boardsFor('glinet,gl-mt3000')!,
      },
      quiet,
    );
    fleets.push(one);
    expect(one.describe().map((router) => router.board_name)).toEqual(Array(3).fill('glinet,gl-mt3000'));
    const mix = await runSimulation(
      { devices: 4, basePort: 0, seed: 1, faults: [], faultRate: 0, rebootSeconds: 1, password: 'p' },
      quiet,
    );
    fleets.push(mix);
    expect(new Set(mix.describe().map((router) => router.board_name)).size).toBe(2);
    expect(mix.describe()[0]).toMatchObject({ flash_count: 0, release: 'OpenWrt 23.05.2 r23630-842932a63d' });
    expect(fleetSummary(mix)).toBe(
      'Summary of 4 simulated routers: 4 flashed 0 times.\nReleases: 4 on OpenWrt 23.05.2 r23630-842932a63d.\n',
    );
  });

  it('refuses an unknown board and --json with --json-file', async () => {
    await expect(simulateCommand({ board: 'acme,unknown' })).rejects.toThrow(/unknown board acme,unknown: choose mix/);
    await expect(simulateCommand({ json: 'a.json', 'json-file': 'b.json' })).rejects.toThrow(/give one/);
  });
});
