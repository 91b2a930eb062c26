import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { SETTINGS } from '../src/platform/settings.js';
import { SYSTEMD_ANALYZE, skipWithout } from './helpers/system-tools.js';

/**
 * The systemd units of docs/deploy.md (deploy/systemd) pass `systemd-analyze verify`: every key is
 * known and every value parses (it only warns about those, so any line naming a unit fails the test).
 * ExecStart names /usr/bin/node; the copy checked here names this machine's node, which must exist.
 */

const skip = skipWithout(import.meta.url, [SYSTEMD_ANALYZE]);
const DIR = path.join(PROJECT_ROOT, 'deploy', 'systemd');
const UNITS = ['fleetflash-api.service', 'fleetflash-worker.service'];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-units-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function verify(files: Record<string, string>): { status: number | null; complaints: string[] } {
  const paths = Object.entries(files).map(([name, text]) => {
    const file = path.join(scratch, name);
    writeFileSync(file, text.replaceAll('/usr/bin/node ', `${process.execPath} `));
    return file;
  });
  const result = spawnSync('systemd-analyze', ['verify', ...paths], { encoding: 'utf8' });
  const complaints = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter((line) => Object.keys(files).some((name) => line.includes(name)));
  return { status: result.status, complaints };
}

describe.skipIf(skip)('deploy/systemd', () => {
  it('has api and worker units that systemd-analyze verify accepts without a warning', () => {
    const units = Object.fromEntries(UNITS.map((name) => [name, readFileSync(path.join(DIR, name), 'utf8')]));
    expect(units['fleetflash-api.service']).toMatch(/^ExecStart=\/usr\/bin\/node \S+ api$/m);
    expect(units['fleetflash-worker.service']).toMatch(/^ExecStart=\/usr\/bin\/node \S+ worker$/m);
    for (const text of Object.values(units))
      expect(text).toMatch(/^EnvironmentFile=\/etc\/fleetflash\/fleetflash.env$/m);
    expect(verify(units)).toEqual({ status: 0, complaints: [] });
  });

  it('is a check that catches an unknown key and a bad value (the verification is not a no-op)', () => {
    const api = readFileSync(path.join(DIR, 'fleetflash-api.service'), 'utf8');
    const broken = api.replace('Restart=on-failure', 'Restart=sometimes\nRestrat=always');
    const result = verify({ 'fleetflash-broken.service': broken });
    expect(result.complaints.join('\n')).toMatch(/Unknown key/);
    expect(result.complaints.join('\n')).toMatch(/restart specifier/);
  });
});

describe('deploy/systemd/fleetflash.env.example', () => {
  it('sets only documented settings', () => {
    const known = new Set<string>(Object.values(SETTINGS).map((setting) => setting.env));
    const names = readFileSync(path.join(DIR, 'fleetflash.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z]/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });
});
