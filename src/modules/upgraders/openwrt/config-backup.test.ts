import { describe, expect, it } from 'vitest';
import { writeConfigArchive } from '../../../../simulator/config-archive.js';
import type { ExecResult, SshSession } from '../ssh-session.js';
import type { UpgradeContext } from '../upgrader.js';
import { ConfigBackup } from './config-backup.js';
import { OpenWrtRemote, type OpenWrtSettings } from './remote.js';

/** A router that answers `sysupgrade -b` and `cat` of the archive, noting whether a transfer slot is held. */
function setUp() {
  const archive = writeConfigArchive(new Map([['etc/config/system', 'config system\n']]));
  const events: string[] = [];
  let slotHeld = false;
  const session = {
    isClosed: false,
    async exec(command: string, options: { onStdout?: (chunk: Buffer) => void }): Promise<ExecResult> {
      events.push(`${command.split(' ')[0]}${slotHeld ? ' (slot held)' : ''}`);
      if (command.startsWith('cat ')) options.onStdout?.(archive);
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
  it("reads the archive back inside one of the worker's transfer slots, released after", async () => {
    const { backup, session, events } = setUp();
    await backup.take(session, 'OpenWrt 23.05.2');
    expect(events).toEqual(['sysupgrade', 'slot taken', 'cat (slot held)', 'slot released', 'rm']);
  });
});
