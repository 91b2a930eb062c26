import {
  describeProbeFailure,
  healthCheckBudgetSeconds,
  type ProbeCommandRunner,
  runHealthProbes,
} from './health-probes.js';
import { UpgradeFailed, type UpgradeContext } from './upgrader.js';

/**
 * The health check after proof of boot, whatever runs the commands (an SSH session, the pull agent): logs
 * the check and each passing probe; a failing probe records the release the device proved it runs and
 * ends the upgrade with `health-check-failed`. Nothing to do when the upgrade has no check.
 */
export async function runHealthCheck(
  ctx: UpgradeContext,
  run: ProbeCommandRunner,
  /** The release proved at boot, when this check follows a flash: recorded if the check fails. */
  provenRelease?: string,
): Promise<void> {
  const check = ctx.healthCheck;
  if (!check || check.probes.length === 0) return;
  await ctx.log(
    `Health check "${check.name}": ${check.probes.length} probe(s), ${healthCheckBudgetSeconds(check.probes)} s ` +
      'at most.',
  );
  const failure = await runHealthProbes(check.probes, run, {
    onPass: (probe, ms) => ctx.log(`Probe "${probe.name}" passed (${(ms / 1000).toFixed(1)} s).`),
  });
  if (failure) {
    // The device runs the new release all the same: a restore of its backup afterwards expects that one.
    if (provenRelease) await ctx.deviceRuns(provenRelease);
    throw new UpgradeFailed('health-check-failed', describeProbeFailure(check.name, failure));
  }
  await ctx.log(`Health check "${check.name}" passed.`);
}
