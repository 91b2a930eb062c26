import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { commandExists, MAKE, missingToolsReason, skipWithout, unreachableFor, ZSTD } from './helpers/system-tools.js';

/** The helper that skips tests needing a missing system package, except under CI=true. */

const bin = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-tools-'));
writeFileSync(path.join(bin, 'make'), '#!/bin/sh\n');
chmodSync(path.join(bin, 'make'), 0o755);
writeFileSync(path.join(bin, 'zstd'), 'not executable');
const ABSENT = { command: '/nonexistent/fleetflash-tool', aptPackage: 'fleetflash-tool-bin' };

afterAll(() => {
  rmSync(bin, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

describe('system tools a test needs', () => {
  it('finds commands on the given PATH only when executable, and absolute paths as they are', () => {
    expect(commandExists('make', bin)).toBe(true);
    expect(commandExists('zstd', bin)).toBe(false);
    expect(commandExists('make', '')).toBe(false);
    expect(commandExists(path.join(bin, 'make'))).toBe(true);
  });

  it('names every missing command and the apt packages to install, in one line', () => {
    expect(missingToolsReason([MAKE, ZSTD], bin)).toBe('zstd not found — apt-get install zstd');
    expect(missingToolsReason([MAKE, ZSTD, ABSENT], '')).toBe(
      'make, zstd, fleetflash-tool not found — apt-get install make zstd fleetflash-tool-bin',
    );
    expect(missingToolsReason([MAKE], bin)).toBeNull();
  });

  it('skips with that line outside CI, and fails loudly under CI=true', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubEnv('CI', '');
    expect(skipWithout('file:///x/test/some.e2e.test.ts', [ABSENT])).toBe(true);
    expect(warn).toHaveBeenCalledWith(
      'skipped some.e2e.test.ts: fleetflash-tool not found — apt-get install fleetflash-tool-bin',
    );
    expect(skipWithout('file:///x/test/some.e2e.test.ts', [], 'needs root')).toBe(true);
    expect(skipWithout('file:///x/test/some.e2e.test.ts', [], null)).toBe(false);
    vi.stubEnv('CI', 'true');
    expect(() => skipWithout('file:///x/test/some.e2e.test.ts', [ABSENT])).toThrow(
      'some.e2e.test.ts cannot run: fleetflash-tool not found — apt-get install fleetflash-tool-bin (CI=true never ' +
        'skips; .ci/run installs the packages)',
    );
    expect(skipWithout('file:///x/test/some.e2e.test.ts', [])).toBe(false);
    warn.mockRestore();
  });

  it.runIf(process.getuid?.() === 0)(
    'tells when an unprivileged user cannot reach a path (a clone under a private folder)',
    () => {
      const home = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-private-'));
      try {
        mkdirSync(path.join(home, 'clone'));
        writeFileSync(path.join(home, 'clone', 'file.ts'), 'x');
        chmodSync(home, 0o755);
        expect(
          unreachableFor(65534, 65534, {
            enter: [path.join(home, 'clone')],
            read: [path.join(home, 'clone', 'file.ts')],
          }),
        ).toBeNull();
        chmodSync(home, 0o700);
        expect(
          unreachableFor(65534, 65534, {
            enter: [path.join(home, 'clone')],
            read: [path.join(home, 'clone', 'file.ts')],
          }),
        ).toBe(`uid 65534 cannot enter ${path.join(home, 'clone')}`);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  );
});
