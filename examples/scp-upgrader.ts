/**
 * An example custom upgrader: for OpenWrt-like devices that only take files over legacy `scp`
 * and must be flashed without keeping configuration. It takes the configuration backup before the
 * flash as the operation's backup option says (and so declares `capabilities.backup`). Register it
 * in the settings:
 *
 *   "upgraders": [{ "os_pattern": "^LegacyWrt ", "module": "./examples/scp-upgrader.js" }]
 *
 * The module's default export is a factory that receives the OpenWrt timing settings (or it can be
 * an Upgrader object directly). Everything around it — leases, retries, cancel, time limits, the
 * log, the final status — is the engine's job; the upgrader only says how the device is upgraded.
 */
import { SshConnectError, SshSession } from '../src/modules/upgraders/ssh-session.js';
import {
  RecoverableFailure,
  UpgradeAborted,
  UpgradeFailed,
  type UpgradeContext,
  type Upgrader,
  type UpgradeSuccess,
} from '../src/modules/upgraders/upgrader.js';
import type { OpenWrtSettings } from '../src/modules/upgraders/openwrt/openwrt.upgrader.js';
import { AppError } from '../src/platform/errors.js';

/** Real backups are a few KiB; the engine refuses more than 16 MiB anyway. */
const MAX_BACKUP_BYTES = 16 * 1024 * 1024;

export default function scpUpgrader(settings: OpenWrtSettings): Upgrader {
  const remotePath = '/tmp/upgrade.bin';
  const backupPath = '/tmp/backup.tar.gz';

  /** `sysupgrade -b`, read back (bounded) and handed to the engine; a failure per `context.backupMode`. */
  async function takeBackup(session: SshSession, context: UpgradeContext): Promise<void> {
    if (context.backupMode === 'off' || context.backupKept) return;
    const timeoutMs = settings.commandTimeout * 1000;
    try {
      const release = await session.exec('cat /etc/openwrt_release', { timeoutMs, signal: context.signal });
      const made = await session.exec(`sysupgrade -b ${backupPath}`, { timeoutMs, signal: context.signal });
      if (made.code !== 0) throw new Error(`sysupgrade -b exited with ${made.code}`);
      const chunks: Buffer[] = [];
      let size = 0;
      const read = await session.exec(`cat ${backupPath}`, {
        timeoutMs,
        signal: context.signal,
        onStdout: (chunk) => {
          size += chunk.length;
          if (size <= MAX_BACKUP_BYTES) chunks.push(chunk);
        },
      });
      if (read.code !== 0 || size > MAX_BACKUP_BYTES) throw new Error('the archive could not be read');
      const description = /DISTRIB_DESCRIPTION='([^']*)'/.exec(release.stdout)?.[1] ?? '';
      const kept = await context.keepBackup(Buffer.concat(chunks), description);
      await context.log(`Configuration backup kept (${kept.files} files, ${kept.size} bytes).`);
    } catch (error) {
      if (context.signal.aborted) throw error;
      const reason = (error as Error).message;
      if (context.backupMode === 'required')
        throw new UpgradeFailed('backup-failed', `The configuration backup failed (${reason}); nothing was flashed.`);
      await context.log(`The configuration backup failed (${reason}); flashing without one.`, 'warning');
    }
  }

  async function connect(context: UpgradeContext): Promise<SshSession> {
    const device = await context.refreshDevice();
    try {
      const session = await SshSession.connect({
        host: device.host,
        port: device.port,
        addressPolicy: context.addressPolicy,
        credentials: context.credentials,
        expectedHostKey: null,
        timeoutMs: settings.connectTimeout * 1000,
        signal: context.signal,
      });
      await context.pinHostKey(session.hostKey);
      await context.deviceReached();
      return session;
    } catch (error) {
      // An address outside the networks devices may be reached at: never contacted, not retried.
      if (error instanceof SshConnectError && error.kind === 'address-not-allowed')
        throw new UpgradeAborted('address-not-allowed', error.message);
      // Cannot reach the device: the engine retries with backoff.
      throw new RecoverableFailure('unreachable', `cannot connect: ${(error as Error).message}`);
    }
  }

  /** Sends the image with the scp sink protocol: header, bytes, NUL; the device acknowledges each. */
  async function scpSend(session: SshSession, context: UpgradeContext): Promise<void> {
    const { Readable } = await import('node:stream');
    const header = Buffer.from(`C0644 ${context.image.size} upgrade.bin\n`);
    async function* protocol() {
      yield header;
      for await (const chunk of context.image.open()) yield chunk as Buffer;
      yield Buffer.from([0]);
    }
    const result = await session.exec(`scp -t ${remotePath}`, {
      timeoutMs: settings.commandTimeout * 1000,
      signal: context.signal,
      stdin: Readable.from(protocol()),
    });
    if (result.code !== 0) throw new RecoverableFailure('transfer-interrupted', `scp ended with ${result.code}`);
  }

  async function verify(context: UpgradeContext): Promise<UpgradeSuccess> {
    for (let attempt = 1; attempt <= settings.reconnectMaxRetries; attempt += 1) {
      await context.sleep(settings.reconnectRetryDelay * 1000);
      let session: SshSession;
      try {
        session = await connect(context);
      } catch {
        continue;
      }
      try {
        const release = await session.exec('cat /etc/openwrt_release', { timeoutMs: settings.commandTimeout * 1000 });
        const description = /DISTRIB_DESCRIPTION='([^']*)'/.exec(release.stdout)?.[1] ?? '';
        if (description !== context.image.build.os)
          throw new UpgradeFailed('not-flashed', `the device runs ${description}`);
        return { message: `Upgraded to ${description} (scp upgrader).`, os: description };
      } finally {
        session.close();
      }
    }
    throw new UpgradeFailed('unreachable-after-flash', 'the device did not come back');
  }

  return {
    name: 'scp-example',
    capabilities: { backup: true },
    optionDefinitions: [
      {
        key: 'keep_backup_copy',
        label: 'Leave a copy of the backup on the router',
        description: `Keep the configuration backup at ${backupPath} on the router after fetching it.`,
        default: false,
        dangerous: false,
      },
    ],
    normalizeOptions(input) {
      const unknown = Object.keys(input).filter((key) => key !== 'keep_backup_copy');
      if (unknown.length > 0)
        throw new AppError(
          'InvalidUpgradeOptions',
          `Unknown options: ${unknown.join(', ')}.`,
          Object.fromEntries(unknown.map((key) => [key, 'unknown option'])),
        );
      return { keep_backup_copy: input.keep_backup_copy === true };
    },
    async upgrade(context) {
      const session = await connect(context);
      try {
        await context.log(`Sending ${context.image.size} bytes over scp.`);
        await scpSend(session, context);
        await context.progress(50);
        const sum = await session.exec(`sha256sum ${remotePath}`, {
          timeoutMs: settings.commandTimeout * 1000,
          signal: context.signal,
        });
        if (!sum.stdout.startsWith(context.image.sha256))
          throw new RecoverableFailure('checksum-mismatch', 'the image arrived damaged');
        await takeBackup(session, context);
        if (!context.options.keep_backup_copy)
          await session.exec(`rm -f ${backupPath}`, { timeoutMs: settings.commandTimeout * 1000 });
        const test = await session.exec(`sysupgrade -T ${remotePath}`, {
          timeoutMs: settings.commandTimeout * 1000,
          signal: context.signal,
        });
        if (test.code !== 0) throw new UpgradeAborted('image-rejected', test.stderr.trim());
        await context.beginFlash();
        await context.log('Flashing with sysupgrade -n.');
        await session.exec(`sysupgrade -n ${remotePath}`, { timeoutMs: settings.upgradeTimeout * 1000 });
      } finally {
        session.close();
      }
      return verify(context);
    },
    verify,
  };
}
