import type { Db } from '../../database.js';
import type { UpgradeContext } from '../upgraders/upgrader.js';
import { failureOutcome } from './agent-outcomes.js';
import * as repository from './agent.repository.js';
import type { AgentReportRow } from './agent.table.js';

/** The agent upgrader's reading of the reports that come before the flash (docs/agent-protocol.md). */

/** One report of the agent before the flash, into the operation's log and progress; true at `ready`. */
export async function mapPreparingReport(ctx: UpgradeContext, db: Db, report: AgentReportRow): Promise<boolean> {
  const fields = report.fields;
  const restore = ctx.kind === 'restore';
  switch (report.step) {
    case 'log':
      await ctx.log(`Agent: ${fields.message ?? ''}`);
      return false;
    case 'checked':
      await ctx.log(`Agent: memory and /tmp space suffice${fields.message ? ` (${fields.message})` : ''}.`);
      return false;
    case 'downloading': {
      const bytes = Number(fields.bytes ?? 0);
      await ctx.progress(10 + Math.floor(Math.min(1, bytes / Math.max(1, ctx.image.size)) * 50));
      return false;
    }
    case 'downloaded':
      await ctx.log(restore ? 'The agent downloaded the configuration backup.' : 'The agent downloaded the image.');
      await ctx.progress(60);
      return false;
    case 'verified':
      await ctx.log(
        restore
          ? 'The agent verified the backup (sha256, size) and the board.'
          : 'The agent verified the image (sha256, size, sysupgrade -T).',
      );
      await ctx.progress(64);
      return false;
    case 'backup':
      await keepUploadedBackup(ctx, db, fields.message ?? '');
      return false;
    case 'ready':
      return true;
    case 'failed':
      throw failureOutcome(fields.code ?? '', fields.message ?? '');
    default:
      await ctx.log(`The agent reported step "${report.step}" before the flash was ordered; ignored.`, 'warning');
      return false;
  }
}

/** The backup the agent uploaded (agent.routes.ts stored it with the job), kept as the operation's. */
async function keepUploadedBackup(ctx: UpgradeContext, db: Db, message: string): Promise<void> {
  const archive = await repository.takeBackupArchive(db, ctx.operationId);
  if (!archive) {
    await ctx.log(`The agent took no backup${message ? `: ${message}` : '.'}`, 'warning');
    return;
  }
  const device = await repository.findAgentDevice(db, ctx.device.id);
  try {
    const kept = await ctx.keepBackup(archive, device?.agentRelease ?? ctx.device.os);
    await ctx.log(`Configuration backup kept (${kept.files} files, ${kept.size} bytes).`);
  } catch (error) {
    // The upload route checked the archive already; the engine refuses a flash without a required backup.
    await ctx.log(`The uploaded backup could not be kept: ${(error as Error).message}.`, 'warning');
  }
}
