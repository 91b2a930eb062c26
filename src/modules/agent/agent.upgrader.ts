import { findBackupOfOperation } from '../backups/backup.service.js';
import { normalizeSysupgradeOptions } from '../upgraders/openwrt/sysupgrade-options.js';
import {
  FlashNotPerformed,
  RecoverableFailure,
  UpgradeAborted,
  UpgradeFailed,
  type UpgradeContext,
  type Upgrader,
  type UpgradeSuccess,
} from '../upgraders/upgrader.js';
import { expectedRelease, failureOutcome, releaseMatches, revisionOf } from './agent-outcomes.js';
import { agentRestoresAndProbes, agentTooOld } from './agent-features.js';
import { mapPreparingReport } from './agent-preparing.js';
import { AGENT_OPTIONS, type AgentUpgraderDeps, publishAgentJob } from './agent-publish.js';
import { runAgentHealthCheck } from './agent-probes.js';
import * as repository from './agent.repository.js';
import type { AgentReportRow } from './agent.table.js';

/**
 * The upgrader of devices managed by their pull agent (docs/agent-protocol.md), whatever their OS. It
 * never connects to the device: it publishes the job its agent's poll takes, then sleeps (a waiting
 * operation holds no busy slot) until the agent reports, woken by the report endpoint's notification
 * or, as a fallback, every few seconds. Reports become the operation's log and progress; `ready`
 * passes `beginFlash` (a cancel before it wins); proof of boot is the SSH rule: a new boot id and
 * the build's release.
 */

/** How often a waiting operation re-reads the reports when no notification wakes it. */
const FALLBACK_READ_MS = 2000;

export function agentUpgrader(deps: AgentUpgraderDeps): Upgrader {
  return {
    name: 'agent',
    optionDefinitions: AGENT_OPTIONS,
    capabilities: { backup: true },
    normalizeOptions: normalizeSysupgradeOptions,
    upgrade: (context) => new AgentUpgrade(context, deps).run(),
    restore: (context) => new AgentUpgrade(context, deps).run(),
    verify: (context) => new AgentUpgrade(context, deps).resume(),
  };
}

class AgentUpgrade {
  private readonly processed = new Set<number>();
  private lastHeard = Date.now();
  /** When the agent said it started sysupgrade. */
  private flashingAt: number | null = null;

  constructor(
    private readonly ctx: UpgradeContext,
    private readonly deps: AgentUpgraderDeps,
  ) {}

  private get db() {
    return this.deps.db;
  }

  /** An upgrade, or a restore (the same steps: the job's action and the agent's work differ). */
  async run(): Promise<UpgradeSuccess> {
    const { ctx } = this;
    const settings = this.deps.config.agent;
    try {
      if (ctx.kind === 'restore') await this.assertAgentRestores();
      await publishAgentJob(ctx, this.deps);
      await ctx.progress(5);
      await this.waitForPickup(Date.now() + settings.pickupTimeout * 1000);
      await ctx.progress(10);
      await this.followUntilReady();
      await this.assertBackupKept();
      const device = await repository.findAgentDevice(this.db, ctx.device.id);
      if (device?.agentBootId) await ctx.recordBootId(device.agentBootId);
      await ctx.beginFlash();
    } catch (error) {
      // Whatever ended the attempt before the flash (cancel, deadline, the agent's own failure): the agent stops.
      await repository.setJobAction(this.db, ctx.operationId, 'cancel').catch(() => {});
      throw error;
    }
    const flashOrderedAt = Date.now();
    await repository.setJobAction(this.db, ctx.operationId, 'flash');
    await ctx.log(
      ctx.kind === 'restore'
        ? 'The device is ready: the agent was told to restore the configuration (sysupgrade -r) and reboot.'
        : 'The device is ready: the agent was told to flash.',
    );
    await ctx.progress(70);
    return this.waitForBoot(flashOrderedAt);
  }

  /**
   * After a takeover of an operation whose flash was recorded: if the agent never received the order
   * to flash, nothing was flashed; otherwise its reports and polls decide, as after a flash.
   */
  async resume(): Promise<UpgradeSuccess> {
    // One statement decides: a poll may not take the flash between this check and the end of the attempt.
    if (await repository.cancelUndeliveredFlash(this.db, this.ctx.operationId)) {
      throw new FlashNotPerformed(
        'The flash was recorded, but the agent never received the order to flash: the device was not flashed.',
      );
    }
    const job = await repository.findJob(this.db, this.ctx.operationId);
    await this.ctx.log('A previous worker ordered the flash; following the agent from its reports.', 'warning');
    for (const report of await repository.findReports(this.db, this.ctx.operationId)) {
      if (report.step === 'flashing') this.flashingAt = report.received.getTime();
      if (!['booted', 'failed'].includes(report.step)) this.processed.add(report.seq);
    }
    // No job left: it was finished (proof of boot ran); the reports and polls decide again.
    return this.waitForBoot(job?.modified.getTime() ?? Date.now());
  }

  // --- the steps ---------------------------------------------------------------------------

  /**
   * A required backup must have been kept before the flash (the engine leaves that to an upgrader that
   * takes backups itself): an agent that reports `ready` without one is not trusted to have taken it.
   */
  private async assertBackupKept(): Promise<void> {
    const { ctx } = this;
    if (ctx.kind === 'restore' || ctx.backupMode !== 'required' || ctx.backupKept) return;
    if (await findBackupOfOperation(this.db, ctx.operationId)) return;
    throw new UpgradeAborted(
      'backup-failed',
      'The agent reported ready without uploading the configuration backup, and the backup option is "required": ' +
        'nothing was flashed.',
    );
  }

  private async waitForPickup(deadline: number): Promise<void> {
    for (;;) {
      const job = await repository.findJob(this.db, this.ctx.operationId);
      if (job?.pickedUpAt) {
        this.lastHeard = Date.now();
        await this.ctx.log('The agent took the job.');
        return;
      }
      if (Date.now() >= deadline) {
        const device = await repository.findAgentDevice(this.db, this.ctx.device.id);
        const last = device?.agentLastPollAt
          ? `it last polled at ${device.agentLastPollAt.toISOString()}`
          : 'it never polled';
        throw new RecoverableFailure(
          'unreachable',
          `The device's agent did not take the job within ${this.deps.config.agent.pickupTimeout} s (${last}).`,
        );
      }
      await this.pause(deadline);
    }
  }

  /** Maps reports until `ready`; silence longer than `agent.report_timeout` ends the attempt. */
  private async followUntilReady(): Promise<void> {
    const timeout = this.deps.config.agent.reportTimeout * 1000;
    for (;;) {
      for (const report of await this.newReports()) {
        if (await mapPreparingReport(this.ctx, this.db, report)) return;
      }
      const deadline = this.lastHeard + timeout;
      if (Date.now() >= deadline) {
        throw new RecoverableFailure(
          'transfer-interrupted',
          `The device's agent sent no report for ${this.deps.config.agent.reportTimeout} s while preparing the flash.`,
        );
      }
      await this.pause(deadline);
    }
  }

  /** After the order to flash: a `booted` report, or a poll on a new boot, proves the flash. */
  private async waitForBoot(flashOrderedAt: number): Promise<UpgradeSuccess> {
    const { ctx } = this;
    const { reconnectDelay, reconnectMaxRetries, reconnectRetryDelay, upgradeTimeout } =
      this.deps.config.upgrades.openwrt;
    const waitSeconds = reconnectDelay + upgradeTimeout + reconnectMaxRetries * reconnectRetryDelay;
    const deadline = flashOrderedAt + waitSeconds * 1000;
    for (;;) {
      for (const report of await this.newReports()) {
        if (report.step === 'booted') {
          const { boot_id: bootId, release, revision } = report.fields;
          return this.prove(bootId ?? '', release ?? '', revision);
        }
        if (report.step === 'failed') throw failureOutcome(report.fields.code ?? '', report.fields.message ?? '');
        if (report.step === 'flashing') {
          this.flashingAt = report.received.getTime();
          await ctx.log(
            ctx.kind === 'restore'
              ? 'The agent is restoring the configuration (sysupgrade -r): waiting for the device to reboot.'
              : 'The agent started sysupgrade: waiting for the device to reboot.',
          );
          await ctx.progress(75);
        } else if (report.step === 'log') await ctx.log(`Agent: ${report.fields.message ?? ''}`);
      }
      const device = await repository.findAgentDevice(this.db, ctx.device.id);
      const polledSince = (since: number) => (device?.agentLastPollAt?.getTime() ?? 0) > since;
      if (device?.agentBootId && device.agentBootId !== ctx.bootIdBefore && polledSince(flashOrderedAt)) {
        // A `booted` report stored since the reports were read says more (the revision): it decides.
        const booted = (await repository.findReports(this.db, ctx.operationId)).findLast((r) => r.step === 'booted');
        if (booted) return this.prove(booted.fields.boot_id ?? '', booted.fields.release ?? '', booted.fields.revision);
        return this.prove(device.agentBootId, device.agentRelease ?? '');
      }
      if (Date.now() >= deadline) {
        if (this.flashingAt === null && device?.agentBootId === ctx.bootIdBefore && polledSince(flashOrderedAt)) {
          throw new UpgradeFailed(
            'not-flashed',
            `The agent never started the flash: it kept polling on the same boot for ${waitSeconds} s after the ` +
              `order to flash without reporting "flashing". The device was not flashed and runs ` +
              `${device?.agentRelease || 'the old release'}.`,
          );
        }
        if (this.flashingAt !== null && polledSince(this.flashingAt)) {
          throw new UpgradeFailed(
            'not-flashed',
            `The device never rebooted: its agent still polls on the same boot ${waitSeconds} s after the order to ` +
              `flash, running ${device?.agentRelease || 'the old release'}.`,
          );
        }
        throw new UpgradeFailed(
          'unreachable-after-flash',
          `The device's agent did not come back within ${waitSeconds} s of the order to flash. It may still be ` +
            `flashing, or cannot reach the server; it is not retried automatically.`,
        );
      }
      await this.pause(deadline);
    }
  }

  /** Proof of boot; `revision`, when the agent reported one, must be the build's too (when its OS names one). */
  private async prove(bootId: string, release: string, revision?: string): Promise<UpgradeSuccess> {
    const { ctx } = this;
    const { build } = ctx.image;
    await ctx.progress(90);
    if (ctx.bootIdBefore && bootId === ctx.bootIdBefore) {
      throw new UpgradeFailed(
        'not-flashed',
        `The device never rebooted (same boot id) and runs ${release || 'the old release'}: the image was not flashed.`,
      );
    }
    if (!releaseMatches(build, release)) {
      throw new UpgradeFailed(
        'not-flashed',
        `The device rebooted but runs ${release || 'an unknown release'}, not ${expectedRelease(build)}: the image ` +
          `was not flashed.`,
      );
    }
    const expectedRevision = revisionOf(build);
    if (revision && expectedRevision && revision !== expectedRevision) {
      throw new UpgradeFailed(
        'not-flashed',
        `The device rebooted on ${release} but its revision is ${revision}, not the build's ${expectedRevision}: the ` +
          'image was not flashed (another build of the same release runs).',
      );
    }
    await ctx.log(`Verified: new boot, running ${release}${revision ? ` ${revision}` : ''} (reported by the agent).`);
    const os = build.os ?? `OpenWrt ${release}`;
    try {
      const graceSeconds = this.deps.config.agent.pollInterval + 15;
      await runAgentHealthCheck(ctx, this.db, this, { graceSeconds, provenRelease: os });
    } finally {
      await repository.deleteJob(this.db, ctx.operationId);
    }
    if (ctx.kind === 'restore') return { message: `Configuration restored; the device runs ${release}.` };
    return { message: `Upgraded to ${release}.`, os };
  }

  /** An agent too old to know `restore` would ignore the job: the restore ends now, nothing changed. */
  private async assertAgentRestores(): Promise<void> {
    const device = await repository.findAgentDevice(this.db, this.ctx.device.id);
    if (!agentRestoresAndProbes(device?.agentVersion ?? null))
      throw new UpgradeAborted(
        'restore-unsupported',
        agentTooOld(device?.agentVersion ?? null, 'restore configuration backups'),
      );
  }

  // --- waiting -----------------------------------------------------------------------------

  async newReports(): Promise<AgentReportRow[]> {
    const fresh = (await repository.findReports(this.db, this.ctx.operationId)).filter(
      (report) => !this.processed.has(report.seq),
    );
    for (const report of fresh) this.processed.add(report.seq);
    if (fresh.length > 0) this.lastHeard = Date.now();
    return fresh;
  }

  /** Sleeps until a report wakes the operation, the fallback re-read, or the deadline. */
  async pause(deadline: number): Promise<void> {
    await this.ctx.sleep(Math.max(10, Math.min(deadline - Date.now(), FALLBACK_READ_MS)));
  }
}
