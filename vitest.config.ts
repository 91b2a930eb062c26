import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'simulator/**/*.test.ts',
      'test/**/*.test.ts',
      // A deliberately failing file, run only by the test that checks a failing run exits non-zero.
      ...(process.env.FLEETFLASH_FAILING_FIXTURE === '1' ? ['test/fixtures/failing-run/*.ts'] : []),
    ],
    globalSetup: ['test/global-setup.ts'],
    // Test files run in parallel processes, each against its own database cloned from a template.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
  },
});
