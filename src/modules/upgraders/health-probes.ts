/**
 * Running a health check's probes on a device after proof of boot: each probe is a shell command that
 * must exit 0 within its own timeout. Probes run one after another (a router is small, and the order
 * lets a check test the WAN before it pings through it); the first failure ends the check. The whole
 * check is bounded: the sum of the probes' timeouts, capped by HEALTH_CHECK_MAX_TOTAL_SECONDS, and the
 * operation's abort signal (cancel, task timeout, lost lease) ends it at once.
 */

/** One probe, as an upgrade carries it (a copy taken when the upgrade was requested). */
export interface HealthProbe {
  name: string;
  command: string;
  timeoutSeconds: number;
}

/** The health check an upgrade runs after proof of boot. */
export interface HealthCheckToRun {
  name: string;
  probes: readonly HealthProbe[];
}

/** However many probes a check has, it never runs longer than this. */
export const HEALTH_CHECK_MAX_TOTAL_SECONDS = 600;

/** How much of a probe's output the operation log keeps. */
export const PROBE_OUTPUT_LIMIT_BYTES = 2048;

/** What one run of a command on the device gave: its exit code, or that it did not end in time. */
export type ProbeCommandResult = { timedOut: false; code: number | null; output: string } | { timedOut: true };

/** Runs a command on the device within `timeoutMs`; rejects when the operation is aborted. */
export type ProbeCommandRunner = (command: string, timeoutMs: number) => Promise<ProbeCommandResult>;

export interface ProbeFailure {
  probe: HealthProbe;
  /** The exit code, or null when the probe timed out (or the command ended without a status). */
  code: number | null;
  timedOut: boolean;
  /** The probe's output, at most PROBE_OUTPUT_LIMIT_BYTES of it (the end is cut, and says so). */
  output: string;
  /** The probe could not run at all: the check's total time was used up by the probes before it. */
  outOfTime: boolean;
  /** The time the probe was given: its timeout, or less when the check's total time ran short. */
  timeoutMs: number;
}

/** Cuts text to `limitBytes` of UTF-8 without splitting a character, marking the cut. */
export function truncateOutput(text: string, limitBytes = PROBE_OUTPUT_LIMIT_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limitBytes) return text;
  // Decoding a cut multi-byte character yields U+FFFD; drop it rather than show a broken character.
  const kept = bytes
    .subarray(0, limitBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${kept}… [${bytes.length - Buffer.byteLength(kept, 'utf8')} more bytes cut]`;
}

/** The longest a check may run: the sum of its probes' timeouts, capped. */
export function healthCheckBudgetSeconds(probes: readonly HealthProbe[]): number {
  const sum = probes.reduce((total, probe) => total + probe.timeoutSeconds, 0);
  return Math.min(sum, HEALTH_CHECK_MAX_TOTAL_SECONDS);
}

/**
 * Runs the probes in order; resolves with the first failure, or null when every probe passed.
 * `onPass` is told of each passing probe (the upgrader logs it briefly).
 */
export async function runHealthProbes(
  probes: readonly HealthProbe[],
  run: ProbeCommandRunner,
  options: { onPass?: (probe: HealthProbe, milliseconds: number) => Promise<void>; now?: () => number } = {},
): Promise<ProbeFailure | null> {
  const now = options.now ?? Date.now;
  const deadline = now() + healthCheckBudgetSeconds(probes) * 1000;
  for (const probe of probes) {
    const remaining = deadline - now();
    if (remaining <= 0) return { probe, code: null, timedOut: true, output: '', outOfTime: true, timeoutMs: 0 };
    const timeoutMs = Math.min(probe.timeoutSeconds * 1000, remaining);
    const started = now();
    const result = await run(probe.command, timeoutMs);
    const ended = { probe, outOfTime: false, timeoutMs };
    if (result.timedOut) return { ...ended, code: null, timedOut: true, output: '' };
    if (result.code !== 0)
      return { ...ended, code: result.code, timedOut: false, output: truncateOutput(result.output) };
    await options.onPass?.(probe, now() - started);
  }
  return null;
}

/** The operation log's line for a failed probe (the error of `health-check-failed`). */
export function describeProbeFailure(checkName: string, failure: ProbeFailure): string {
  const { probe } = failure;
  const what = failure.outOfTime
    ? `did not run: the check's total time (${HEALTH_CHECK_MAX_TOTAL_SECONDS} s at most) was used up`
    : failure.timedOut
      ? `timed out after ${Math.round(failure.timeoutMs / 100) / 10} s`
      : `failed with exit code ${failure.code ?? 'none (the command ended without a status)'}`;
  const output = failure.output.trim() ? `; output: ${failure.output.trim()}` : '; no output';
  return (
    `Health check "${checkName}": probe "${probe.name}" (${probe.command}) ${what}${output}. The new firmware is ` +
    'installed (the flash happened): the upgrade is not retried.'
  );
}
