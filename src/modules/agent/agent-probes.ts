import type { Db } from '../../database.js';
import { runHealthCheck } from '../upgraders/health-check-run.js';
import type { ProbeCommandResult } from '../upgraders/health-probes.js';
import { UpgradeFailed, type UpgradeContext } from '../upgraders/upgrader.js';
import { agentRestoresAndProbes, agentTooOld } from './agent-features.js';
import * as repository from './agent.repository.js';
import type { AgentReportRow } from './agent.table.js';

/**
 * The health check of an agent-managed device: the same probes, budget and outcome as over SSH
 * (health-check-run.ts), each probe handed to the agent with `action=probe` and its result read from the
 * agent's `probe` report. The agent kills a probe at its timeout; the server waits that long plus a grace
 * for the agent to take it and report (a poll interval and 15 s), then fails the probe.
 */

/** Where the probe results come from: the agent upgrader's reports and its wait. */
export interface ProbeReports {
  newReports(): Promise<AgentReportRow[]>;
  pause(deadline: number): Promise<void>;
}

export async function runAgentHealthCheck(
  ctx: UpgradeContext,
  db: Db,
  reports: ProbeReports,
  options: { graceSeconds: number; provenRelease: string },
): Promise<void> {
  if (!ctx.healthCheck || ctx.healthCheck.probes.length === 0) return;
  const device = await repository.findAgentDevice(db, ctx.device.id);
  const version = device?.agentVersion ?? null;
  if (!agentRestoresAndProbes(version)) {
    await ctx.deviceRuns(options.provenRelease);
    throw new UpgradeFailed(
      'health-check-failed',
      `Health check "${ctx.healthCheck.name}" not run: ${agentTooOld(version, 'run health probes')} The new ` +
        'firmware is installed (the flash happened): the upgrade is not retried.',
    );
  }
  let index = 0;
  await runHealthCheck(
    ctx,
    async (command, timeoutMs) => {
      index += 1;
      const timeoutSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
      await repository.publishProbe(db, ctx.operationId, { index, command, timeoutSeconds });
      return awaitProbeReport(ctx, reports, index, Date.now() + (timeoutSeconds + options.graceSeconds) * 1000);
    },
    options.provenRelease,
  );
}

async function awaitProbeReport(
  ctx: UpgradeContext,
  reports: ProbeReports,
  index: number,
  deadline: number,
): Promise<ProbeCommandResult> {
  for (;;) {
    for (const report of await reports.newReports()) {
      const { fields } = report;
      if (report.step === 'probe' && fields.index === String(index)) {
        if (fields.timed_out === '1') return { timedOut: true };
        return { timedOut: false, code: fields.exit ? Number(fields.exit) : null, output: fields.output ?? '' };
      }
      if (report.step === 'log') await ctx.log(`Agent: ${fields.message ?? ''}`);
    }
    if (Date.now() >= deadline) {
      const output = "(the agent did not report the probe's result in time: it went offline or restarted)";
      return { timedOut: false, code: null, output };
    }
    await reports.pause(deadline);
  }
}
