import { describe, expect, it } from 'vitest';
import { setupFailure } from './build-failure.js';

describe('setupFailure', () => {
  it('is TIMEOUT (infrastructure) when the wall-clock limit stopped the step, SETUP_FAILED otherwise', () => {
    const stopped = setupFailure({ timedOut: true }, 'Could not unpack the ImageBuilder x.tar.xz');
    expect(stopped.code).toBe('TIMEOUT');
    expect(stopped.message).toContain('image_builds.timeout');
    expect(stopped.message).toContain('Could not unpack');
    const failed = setupFailure({ timedOut: false }, 'Could not unpack the ImageBuilder x.tar.xz');
    expect(failed.code).toBe('SETUP_FAILED');
    expect(failed.message).toBe('Could not unpack the ImageBuilder x.tar.xz');
  });
});
