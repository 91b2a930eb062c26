import { describe, expect, it } from 'vitest';
import { flashProcessFrom, takeoverFinding } from './takeover.js';

describe('reading pidof after a takeover', () => {
  it("believes only busybox pidof's two definite answers", () => {
    expect(flashProcessFrom({ code: 0, stdout: '1234 1301\n' })).toBe('running');
    expect(flashProcessFrom({ code: 1, stdout: '' })).toBe('not-running');
  });

  it('treats a missing or failing pidof as unknown, never as "not running"', () => {
    // /bin/ash: pidof: not found
    expect(flashProcessFrom({ code: 127, stdout: '' })).toBe('unknown');
    expect(flashProcessFrom({ code: 2, stdout: '' })).toBe('unknown');
    expect(flashProcessFrom({ code: null, stdout: '' })).toBe('unknown');
    expect(flashProcessFrom({ code: 1, stdout: 'pidof: error\n' })).toBe('unknown');
    expect(flashProcessFrom({ code: 0, stdout: '' })).toBe('unknown');
  });
});

describe('what a takeover concludes', () => {
  it('sends the image again only on proof that the flash never happened', () => {
    expect(takeoverFinding({ sameBoot: true, flashProcess: 'not-running', runsTarget: false })).toBe('not-performed');
    for (const flashProcess of ['running', 'unknown'] as const) {
      for (const runsTarget of [true, false, null]) {
        expect(takeoverFinding({ sameBoot: true, flashProcess, runsTarget })).not.toBe('not-performed');
      }
    }
    expect(takeoverFinding({ sameBoot: true, flashProcess: 'not-running', runsTarget: null })).toBe('unknown');
  });

  it('waits while sysupgrade runs or pidof cannot tell', () => {
    expect(takeoverFinding({ sameBoot: true, flashProcess: 'running', runsTarget: false })).toBe('flashing');
    expect(takeoverFinding({ sameBoot: true, flashProcess: 'unknown', runsTarget: false })).toBe('unknown');
  });

  it("does not flash a device that already runs the build's release", () => {
    expect(takeoverFinding({ sameBoot: true, flashProcess: 'not-running', runsTarget: true })).toBe('on-target');
    expect(takeoverFinding({ sameBoot: true, flashProcess: 'unknown', runsTarget: true })).toBe('on-target');
  });

  it('verifies a device that booted since the flash was recorded', () => {
    expect(takeoverFinding({ sameBoot: false, flashProcess: 'unknown', runsTarget: null })).toBe('new-boot');
  });
});
