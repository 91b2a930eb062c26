import { SshConnectError, SshSession, type ExecResult } from '../ssh-session.js';
import {
  RecoverableFailure,
  UpgradeAborted,
  UpgradeCancelled,
  UpgradeFailed,
  type DeviceTarget,
  type UpgradeContext,
} from '../upgrader.js';
import type { Config } from '../../../platform/config.js';

/**
 * Reaching the device, shared by every step of an OpenWrt upgrade: connecting (and pinning host keys),
 * running one command with the upgrade's bounds, and turning a cancel or a dropped connection into the
 * right outcome.
 */

/** Bounds of the OpenWrt upgrader, in seconds (settings `openwrt.*`). */
export type OpenWrtSettings = Config['upgrades']['openwrt'];

export const BOOT_ID_COMMAND = 'cat /proc/sys/kernel/random/boot_id';

export function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function bootIdOf(result: ExecResult): string {
  return result.stdout.trim();
}

/** The line that ends one command's answer when several run in one exec channel (see `joinCommands`). */
const ANSWER_END = '--fleetflash-answer-end--';

/**
 * Commands that go together, run in one exec channel: every exec costs a channel of its own (open, request,
 * end and close, each a packet both ways), which made up much of the server's SSH work per upgrade. Joined
 * with `&&`, so the first failure ends the run with its exit status; the answers are split by `splitAnswers`.
 * `optionalFirst` runs before the others whatever it exits with (a file that may be missing).
 */
export function joinCommands(commands: string[], optionalFirst?: string): string {
  const joined = commands.join(` && echo ${ANSWER_END} && `);
  return optionalFirst === undefined ? joined : `${optionalFirst}; echo ${ANSWER_END} && ${joined}`;
}

/** A command as a person reads it in a log line: joined commands without their separators. */
export function shown(text: string): string {
  return text
    .replaceAll(` && echo ${ANSWER_END} &&`, ' &&')
    .replaceAll(`; echo ${ANSWER_END} &&`, ';')
    .replaceAll(ANSWER_END, '');
}

/** The answer of each joined command, in order; missing ones (the run stopped early) are empty. */
export function splitAnswers(stdout: string, count: number): string[] {
  const answers = [''];
  for (const line of stdout.split('\n')) {
    // A file without a newline at its end (a marker written by hand) puts the separator on its last line.
    if (line.endsWith(ANSWER_END)) {
      answers[answers.length - 1] += line.slice(0, -ANSWER_END.length);
      answers.push('');
    } else answers[answers.length - 1] += `${line}\n`;
  }
  // The split adds a newline the last answer did not end with.
  answers[answers.length - 1] = answers.at(-1)!.replace(/\n$/, '');
  return Array.from({ length: count }, (_, index) => answers[index] ?? '');
}

/** The upgrade's context and bounds, and the commands every step runs on the device with them. */
export class OpenWrtRemote {
  constructor(
    readonly ctx: UpgradeContext,
    readonly settings: OpenWrtSettings,
  ) {}

  get commandTimeoutMs(): number {
    return this.settings.commandTimeout * 1000;
  }

  async connect(device: DeviceTarget, { afterFlash }: { afterFlash: boolean }): Promise<SshSession> {
    // After `sysupgrade -n` the device comes back with a new host key: accept it and pin it anew.
    const acceptAnyKey = afterFlash && this.ctx.options.n === true;
    const expected = acceptAnyKey ? null : device.pinnedHostKey;
    let session: SshSession;
    try {
      session = await SshSession.connect({
        host: device.host,
        port: device.port,
        addressPolicy: this.ctx.addressPolicy,
        credentials: this.ctx.credentials,
        expectedHostKey: expected,
        timeoutMs: this.settings.connectTimeout * 1000,
        signal: this.ctx.signal,
      });
    } catch (error) {
      return this.connectFailure(error, device, afterFlash);
    }
    try {
      // Every successful connection counts as a contact: the checks before flashing and the proof of boot after.
      await this.ctx.deviceReached();
      if (session.hostKey !== device.pinnedHostKey) {
        await this.ctx.pinHostKey(session.hostKey);
        await this.ctx.log(
          device.pinnedHostKey
            ? `Pinned the new SSH host key ${session.hostKey} (configuration was reset by -n).`
            : `Pinned the SSH host key ${session.hostKey} (first connection).`,
        );
      }
      if (!afterFlash)
        await this.ctx.log(`Connected to ${device.host}:${device.port} as ${this.ctx.credentials.username}.`);
      return session;
    } catch (error) {
      // The session is open but the caller never gets it: close it here, or it stays open until the device drops it.
      session.close();
      throw error;
    }
  }

  /** What a failed connection means for the upgrade: recoverable (retry), aborted or, after flashing, failed. */
  private connectFailure(error: unknown, device: DeviceTarget, afterFlash: boolean): never {
    this.throwIfAborted();
    if (error instanceof SshConnectError) {
      if (error.kind === 'host-key-mismatch') {
        const message =
          `SSH host key mismatch on ${device.host}:${device.port}: ${error.message}. This may be ` +
          `another device at that address (or an attack). If the device was legitimately reinstalled, an admin ` +
          `can reset the pin (POST /api/v1/devices/${device.id}/reset-host-key/).`;
        if (afterFlash) throw new UpgradeFailed('host-key-mismatch', message);
        throw new UpgradeAborted('host-key-mismatch', message);
      }
      if (error.kind === 'auth-failed') {
        const message =
          `${device.host}:${device.port} refused the credentials of user ` +
          `"${this.ctx.credentials.username}": check the device's SSH credentials.`;
        if (afterFlash) throw new UpgradeFailed('auth-failed', message);
        throw new UpgradeAborted('auth-failed', message);
      }
      if (error.kind === 'address-not-allowed') {
        const message =
          `Cannot connect to ${device.host}:${device.port}: ${error.message}. The device was not ` +
          `contacted; change its address, or ask the server's operator to change the setting.`;
        // What the name resolved to goes to the server log only (see AddressNotAllowed).
        const detail = error.detail === undefined ? {} : { cause: error.detail };
        if (afterFlash) throw new UpgradeFailed('address-not-allowed', message, detail);
        throw new UpgradeAborted('address-not-allowed', message, detail);
      }
      throw new RecoverableFailure(
        'unreachable',
        `Cannot connect to ${device.host}:${device.port}: ${error.message}.`,
        { cause: error.detail },
      );
    }
    throw error;
  }

  throwIfAborted(): void {
    if (this.ctx.signal.aborted) {
      const reason = this.ctx.signal.reason as unknown;
      throw reason instanceof Error ? reason : new UpgradeCancelled();
    }
  }

  /** Runs one command; a non-zero exit is an error unless `anyExit`. A dropped connection is recoverable. */
  async run1(session: SshSession, command: string, options: { anyExit?: boolean } = {}): Promise<ExecResult> {
    let result: ExecResult;
    try {
      result = await session.exec(command, { timeoutMs: this.commandTimeoutMs, signal: this.ctx.signal });
    } catch (error) {
      this.throwIfAborted();
      throw new RecoverableFailure('connection-lost', `"${shown(command)}" failed: ${(error as Error).message}.`);
    }
    if (result.dropped)
      throw new RecoverableFailure('connection-lost', `The connection dropped while running "${shown(command)}".`);
    if (!options.anyExit && result.code !== 0) {
      const output = shown(result.stderr || result.stdout).trim();
      throw new UpgradeAborted(
        'command-failed',
        `"${shown(command)}" failed with exit status ${result.code}: ${output.slice(0, 300)}`,
      );
    }
    return result;
  }
}

/** The checksum in the answer of `sha256sum FILE` ("<hex>  FILE"), '' when there is none. */
export function sha256In(answer: string): string {
  return answer.trim().split(/\s+/)[0] ?? '';
}
