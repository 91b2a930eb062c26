import { describe, expect, it } from 'vitest';
import { writeConfigArchive } from '../../../../simulator/config-archive.js';
import type { ExecResult, SshSession } from '../ssh-session.js';
import type { UpgradeContext } from '../upgrader.js';
import { BACKUP_COMMAND, BACKUP_PATH, ConfigBackup } from './config-backup.js';
import { OpenWrtRemote, type OpenWrtSettings } from './remote.js';

/**
 * A router that answers the one-command backup with an archive (or, `breaks`, whose command breaks off),
 * noting each command and whether a transfer slot is held.
 */
function setUp(breaks = false) {
  const archive = writeConfigArchive(new Map([['etc/config/system', 'config system\n']]));
  const events: string[] = [];
  let slotHeld = false;
  const session = {
    isClosed: false,
    async exec(command: string, options: { onStdout?: (chunk: Buffer) => void }): Promise<ExecResult> {
      events.push(`${command.split(' ')[0]}${slotHeld ? ' (slot held)' : ''}`);
      if (command !== BACKUP_COMMAND) return { code: 0, stdout: '', stderr: '', dropped: false };
      if (breaks) throw new Error('timed out after 10000 ms');
      options.onStdout?.(archive);
      return { code: 0, stdout: '', stderr: '', dropped: false };
    },
  } as unknown as SshSession;
  const ctx = {
    backupMode: 'required',
    backupKept: false,
    signal: new AbortController().signal,
    async log() {},
    async keepBackup(kept: Buffer) {
      return { sha256: 'x'.repeat(64), size: kept.length, files: 1 };
    },
    async transferSlot() {
      events.push('slot taken');
      slotHeld = true;
      return () => {
        slotHeld = false;
        events.push('slot released');
      };
    },
  } as unknown as UpgradeContext;
  const settings = { commandTimeout: 5 } as OpenWrtSettings;
  return { backup: new ConfigBackup(new OpenWrtRemote(ctx, settings)), session, events };
}

describe('ConfigBackup', () => {
  it("writes, reads and removes the archive in one command, inside one of the worker's transfer slots", async () => {
    const { backup, session, events } = setUp();
    await backup.take(session, 'OpenWrt 23.05.2');
    expect(events).toEqual(['slot taken', 'sysupgrade (slot held)', 'slot released']);
    expect(BACKUP_COMMAND).toBe(
      `sysupgrade -b '${BACKUP_PATH}' >&2 && cat '${BACKUP_PATH}'; s=$?; rm -f '${BACKUP_PATH}'; exit $s`,
    );
  });

  it('removes the archive by a command of its own when the backup command broke off', async () => {
    const { backup, session, events } = setUp(true);
    await expect(backup.take(session, 'OpenWrt 23.05.2')).rejects.toMatchObject({ code: 'connection-lost' });
    expect(events).toEqual(['slot taken', 'sysupgrade (slot held)', 'slot released', 'rm']);
  });
});
