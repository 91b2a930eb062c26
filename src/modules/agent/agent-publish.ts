import { SYSUPGRADE_OPTIONS, sysupgradeFlags } from '../upgraders/openwrt/sysupgrade-options.js';
import type { UpgradeContext } from '../upgraders/upgrader.js';
import { expectedRelease } from './agent-outcomes.js';
import { signTicket } from '../../platform/tickets.js';
import * as repository from './agent.repository.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Config } from '../../platform/config.js';
import type { SecretBox } from '../../platform/crypto.js';

/** What the agent upgrader works with. */
export interface AgentUpgraderDeps {
  db: Kysely<Database>;
  secrets: SecretBox;
  config: Config;
}

/**
 * The sysupgrade options, with the warning an agent-managed device needs on `n`: the agent, its token
 * and its service are settings, so the device comes back only if the image embeds the agent.
 */
export const AGENT_OPTIONS = SYSUPGRADE_OPTIONS.map((option) =>
  option.key === 'n'
    ? {
        ...option,
        dangerous: true,
        description:
          `${option.description} The pull agent is a setting too: the device comes back only if the image embeds ` +
          'the agent and its enrollment.',
      }
    : option,
);

/**
 * Publishes the job of an agent operation's attempt: what the device's next poll hands its agent, an
 * upgrade (the image, the sysupgrade flags, the backup to take) or a restore (the backup archive and the
 * board it was taken on), with the ticket that signs its URLs.
 */
export async function publishAgentJob(ctx: UpgradeContext, deps: AgentUpgraderDeps): Promise<void> {
  // The ticket lives as long as the attempt may: the task timeout, with an hour to spare for a slow clock.
  const expiresAt = new Date(Date.now() + (deps.config.upgrades.taskTimeout + 3600) * 1000);
  const ticket = {
    sha256: ctx.image.sha256,
    size: ctx.image.size,
    release: expectedRelease(ctx.image.build),
    ticket: signTicket(deps.secrets, ctx.operationId, ctx.device.id, expiresAt),
  };
  const job = { operationId: ctx.operationId, deviceId: ctx.device.id, attempt: ctx.attempt };
  if (ctx.kind === 'restore') {
    const board = ctx.image.boards[0] ?? ctx.device.boardName;
    await repository.publishJob(deps.db, {
      ...job,
      action: 'restore',
      ticket: { ...ticket, flags: [], backup: 'off', board },
    });
    await ctx.log(
      `Restore job published for the device's agent (backup ${(ctx.image.size / 1024).toFixed(1)} KiB, board ` +
        `${board}); waiting up to ${deps.config.agent.pickupTimeout} s for it to take the job.`,
    );
    return;
  }
  const backup = ctx.backupKept ? 'off' : ctx.backupMode;
  await repository.publishJob(deps.db, {
    ...job,
    action: 'upgrade',
    ticket: { ...ticket, flags: sysupgradeFlags(ctx.options), backup },
  });
  if (ctx.backupKept) await ctx.log('A backup of this upgrade was kept by an earlier attempt: none is taken now.');
  await ctx.log(
    `Job published for the device's agent (image ${(ctx.image.size / 1048576).toFixed(1)} MiB, backup ${backup}); ` +
      `waiting up to ${deps.config.agent.pickupTimeout} s for it to take the job.`,
  );
}
