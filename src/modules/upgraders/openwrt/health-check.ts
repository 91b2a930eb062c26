import { SshCommandError, type SshSession } from '../ssh-session.js';
import { describeProbeFailure, healthCheckBudgetSeconds, runHealthProbes } from '../health-probes.js';
import { UpgradeFailed } from '../upgrader.js';
import type { OpenWrtRemote } from './remote.js';

/**
 * The health check after proof of boot, in the session that proved the boot: the upgrader owns the
 * session and the outcome, so the probes need no second connection and a failure is one more typed
 * outcome (`health-check-failed`) rather than a step the engine would have to reopen SSH for.
 */
export async function runHealthCheck(
  remote: OpenWrtRemote,
  session: SshSession,
  /** The release proved at boot, when this check follows a flash: recorded if the check fails. */
  provenRelease?: string,
): Promise<void> {
  const { ctx } = remote;
  const check = ctx.healthCheck;
  if (!check || check.probes.length === 0) return;
  await ctx.log(
    `Health check "${check.name}": ${check.probes.length} probe(s), ${healthCheckBudgetSeconds(check.probes)} s ` +
      'at most.',
  );
  const failure = await runHealthProbes(
    check.probes,
    async (command, timeoutMs) => {
      try {
        const result = await session.exec(command, { timeoutMs, signal: ctx.signal });
        // After the flash nothing is retried: a probe that loses the connection fails like any other.
        if (result.dropped) return { timedOut: false, code: null, output: '(the SSH connection dropped)' };
        return { timedOut: false, code: result.code, output: `${result.stdout}${result.stderr}` };
      } catch (error) {
        if (error instanceof SshCommandError && error.kind === 'timeout') return { timedOut: true };
        remote.throwIfAborted();
        return { timedOut: false, code: null, output: `(the command could not run: ${(error as Error).message})` };
      }
    },
    { onPass: (probe, ms) => ctx.log(`Probe "${probe.name}" passed (${(ms / 1000).toFixed(1)} s).`) },
  );
  if (failure) {
    // The device runs the new release all the same: a restore of its backup afterwards expects that one.
    if (provenRelease) await ctx.deviceRuns(provenRelease);
    throw new UpgradeFailed('health-check-failed', describeProbeFailure(check.name, failure));
  }
  await ctx.log(`Health check "${check.name}" passed.`);
}
