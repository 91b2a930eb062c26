import { describe, expect, it } from 'vitest';
import {
  describeProbeFailure,
  HEALTH_CHECK_MAX_TOTAL_SECONDS,
  type HealthProbe,
  healthCheckBudgetSeconds,
  PROBE_OUTPUT_LIMIT_BYTES,
  type ProbeCommandResult,
  runHealthProbes,
  truncateOutput,
} from './health-probes.js';

const probe = (name: string, timeoutSeconds = 5): HealthProbe => ({ name, command: `check-${name}`, timeoutSeconds });

/** A runner that answers from a table and records the timeouts it was given. */
function scripted(answers: Record<string, ProbeCommandResult>) {
  const calls: { command: string; timeoutMs: number }[] = [];
  const run = async (command: string, timeoutMs: number) => {
    calls.push({ command, timeoutMs });
    return answers[command] ?? { timedOut: false as const, code: 0, output: '' };
  };
  return { run, calls };
}

describe('runHealthProbes', () => {
  it('runs every probe in order and resolves null when all pass, telling each pass', async () => {
    const { run, calls } = scripted({});
    const passed: string[] = [];
    const failure = await runHealthProbes([probe('a'), probe('b')], run, {
      onPass: async (p) => {
        passed.push(p.name);
      },
    });
    expect(failure).toBeNull();
    expect(calls.map((call) => call.command)).toEqual(['check-a', 'check-b']);
    expect(passed).toEqual(['a', 'b']);
  });

  it('stops at the first failing probe with its exit code and output', async () => {
    const { run, calls } = scripted({ 'check-b': { timedOut: false, code: 3, output: 'wan down' } });
    const failure = await runHealthProbes([probe('a'), probe('b'), probe('c')], run);
    expect(failure).toMatchObject({ probe: { name: 'b' }, code: 3, timedOut: false, output: 'wan down' });
    expect(calls).toHaveLength(2);
  });

  it('reports a timed-out probe, giving each probe its own timeout', async () => {
    const { run, calls } = scripted({ 'check-b': { timedOut: true } });
    const failure = await runHealthProbes([probe('a', 2), probe('b', 7)], run);
    expect(failure).toMatchObject({ probe: { name: 'b' }, code: null, timedOut: true, outOfTime: false });
    expect(calls.map((call) => call.timeoutMs)).toEqual([2000, 7000]);
    expect(describeProbeFailure('c', failure!)).toContain('probe "b" (check-b) timed out after 7 s; no output');
  });

  it('bounds the whole check: the cap cuts the last timeouts, and a probe past it fails without running', async () => {
    let clock = 0;
    const probes = [probe('a', 300), probe('b', 300), probe('c', 300)];
    expect(healthCheckBudgetSeconds(probes)).toBe(HEALTH_CHECK_MAX_TOTAL_SECONDS);
    const calls: number[] = [];
    const run = async (_command: string, timeoutMs: number) => {
      calls.push(timeoutMs);
      clock += timeoutMs; // each probe takes all the time it is given, and passes
      return { timedOut: false as const, code: 0, output: '' };
    };
    const failure = await runHealthProbes(probes, run, { now: () => clock });
    expect(calls).toEqual([300_000, 300_000]);
    expect(failure).toMatchObject({ probe: { name: 'c' }, outOfTime: true });
    // The last probe gets only the time left, and its failure says so.
    clock = 0;
    const given: number[] = [];
    const cut = await runHealthProbes(
      probes,
      async (_command, timeoutMs) => {
        given.push(timeoutMs);
        if (given.length < 3) {
          clock += given.length === 1 ? 250_000 : 300_000;
          return { timedOut: false, code: 0, output: '' };
        }
        clock += timeoutMs;
        return { timedOut: true };
      },
      { now: () => clock },
    );
    expect(given).toEqual([300_000, 300_000, 50_000]);
    expect(cut).toMatchObject({ probe: { name: 'c' }, timedOut: true, outOfTime: false, timeoutMs: 50_000 });
    expect(describeProbeFailure('x', cut!)).toContain('timed out after 50 s');
  });
});

describe('truncateOutput', () => {
  it('keeps output up to the limit and cuts the rest, saying how much', () => {
    expect(truncateOutput('short')).toBe('short');
    const long = 'x'.repeat(PROBE_OUTPUT_LIMIT_BYTES + 500);
    const cut = truncateOutput(long);
    expect(cut.startsWith('x'.repeat(PROBE_OUTPUT_LIMIT_BYTES))).toBe(true);
    expect(cut).toContain('[500 more bytes cut]');
  });

  it('never splits a multi-byte character', () => {
    const text = 'é'.repeat(10); // 20 bytes
    expect(truncateOutput(text, 5)).toBe('éé… [16 more bytes cut]');
  });

  it('is applied to a failing probe output', async () => {
    const output = 'y'.repeat(10_000);
    const failure = await runHealthProbes([probe('a')], async () => ({ timedOut: false, code: 1, output }));
    expect(Buffer.byteLength(failure!.output)).toBeLessThan(PROBE_OUTPUT_LIMIT_BYTES + 40);
  });
});
