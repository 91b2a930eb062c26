import net from 'node:net';
import ssh2 from 'ssh2';
import { describeRelease, RouterState, type FlashRequest, type RouterSpec } from './router-state.js';
import { download, STOP_PULL_COMMAND, WGET_COMMAND } from './router-download.js';
import { runShell } from './shell.js';

/**
 * One simulated OpenWrt router: a real SSH server (ssh2) on a loopback port, in front of a
 * `RouterState`. It answers commands as busybox/OpenWrt would, receives files through
 * `cat > path` and legacy `scp -t`, drops every session when sysupgrade commences, refuses
 * connections while rebooting, and comes back with a new boot id on the new release.
 */

/** Faults a router can be given (all optional; the simulator's seed decides who gets which). */
export interface Faults {
  /** Cut the connection after this many bytes of an upload… */
  transferCutAt?: number;
  /** …for this many uploads (default 1), so that a retry succeeds. */
  transferCutTimes?: number;
  /** Refuse every login. */
  authRefused?: boolean;
  /** Never come back after flashing. */
  neverReturns?: boolean;
  /** Reboot after flashing, but on the old release (the flash silently did not take). */
  returnsOldRelease?: boolean;
  /** Receive uploads and downloads at most this fast. */
  slowLinkBytesPerSecond?: number;
  /** `wget` cannot reach the server (a firewall between router and server): image pulls fail. */
  pullBlocked?: boolean;
  /** `wget` gets no answer from the server and waits until stopped. */
  pullHangs?: boolean;
  /** A captive portal answers `wget` with its own page (exit 0, the wrong bytes). */
  pullCaptive?: boolean;
  /** Report this board name instead of the real one (an image for the real board will not fit). */
  boardMismatch?: string;
  /** Present a different host key from the second connection on. */
  changedHostKey?: boolean;
  /** After a reboot, listen on another port (the address in the inventory is stale until re-registration). */
  wrongAddressAfterReboot?: boolean;
  /**
   * The flash command hangs before it flashes anything, until its session goes away (then it dies
   * with it, unflashed): a worker killed at that moment leaves a recorded flash that never happened.
   */
  flashHangs?: boolean;
  /**
   * `pidof` fails with this exit status and prints nothing on stdout (127: busybox built without
   * it, "not found"): an answer that proves nothing about what runs.
   */
  pidofFailsWith?: number;
  /** `sysupgrade -b` fails (as when /tmp is full or the archive cannot be written): no configuration backup. */
  backupFails?: boolean;
  /** `sysupgrade -r` fails (the archive cannot be unpacked over /etc): nothing restored, no reboot. */
  restoreFails?: boolean;
  /**
   * Health-check probes: a command containing this text exits 1 with a line saying so (a WAN that stays
   * down, a process that does not run). Matched as plain text, so a test names part of its probe.
   */
  probeFails?: string;
  /** A command containing this text never ends (a probe that hangs until its session goes away). */
  probeHangs?: string;
  /** Reading the backup archive back sends zeros without end (a hostile or broken router). */
  backupEndless?: boolean;
  /** The first N reads of the backup archive drop the connection halfway. */
  backupReadDrops?: number;
  /** The first N images pushed arrive with a byte changed (a flaky link or flash): the checksum differs. */
  uploadsDamaged?: number;
}

export type FaultName =
  | 'transfer-cut'
  | 'auth-refused'
  | 'never-returns'
  | 'old-release'
  | 'slow-link'
  | 'low-memory'
  | 'board-mismatch'
  | 'changed-host-key'
  | 'wrong-address'
  | 'backup-fails'
  | 'health-fails'
  | 'pull-blocked';

export interface RouterOptions extends RouterSpec {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  /** OpenSSH public keys allowed to log in (besides the password). */
  authorizedKeys?: string[];
  /** How long a reboot takes, in milliseconds. */
  rebootMs?: number;
  faults?: Faults;
  /** Called after a reboot that moved the router to another port. */
  onAddressChange?: (router: SimulatedRouter) => void;
}

export interface RouterDescription {
  name: string;
  mac_address: string;
  host: string;
  port: number;
  board_name: string;
  model: string;
  os: string;
  username: string;
  password: string;
  faults: Faults;
  /** Flashes so far (sysupgrade commenced). */
  flash_count: number;
  /** The release it runs now ("OpenWrt 23.05.3 r23809-…", as `os`): after a mass upgrade, the final one. */
  release: string;
}

/** A sysupgrade that would flash (not -T, not -b). */
const FLASH_COMMAND = /^\s*(?:\/sbin\/)?sysupgrade(?!.*\s-(?:[a-zA-Z]*T|b)\b)\s/;
/** `cat > FILE`, and the upgrader's `cat > FILE && sha256sum FILE` (the checksum of what arrived, after it). */
const UPLOAD_COMMAND = /^\s*cat\s*>\s*(?:'([^']+)'|"([^"]+)"|(\S+))\s*(&&\s*sha256sum\s+\S+\s*)?$/;
const SCP_SINK_COMMAND = /^\s*scp\s+(?:-[a-zA-Z]+\s+)*-t\s+(?:-[a-zA-Z]+\s+)*(?:'([^']+)'|(\S+))\s*$/;
const BACKUP_COMMAND = /^\s*(?:\/sbin\/)?sysupgrade\s(?:.*\s)?-b\s/;
const RESTORE_COMMAND = /^\s*(?:\/sbin\/)?sysupgrade\s(?:.*\s)?-r\s/;
const CAT_COMMAND = /^\s*cat\s+(?:'([^']+)'|([^\s'"<>|;&]+))\s*$/;
/** The upgrader's backup in one command: `sysupgrade -b FILE >&2 && cat FILE; …; rm -f FILE; exit …`. */
const BACKUP_READ_COMMAND = /^\s*(?:\/sbin\/)?sysupgrade\s+-b\s+'([^']+)'\s*>&2\s*&&\s*cat\s+'([^']+)';/;

/**
 * A fresh ed25519 host key. ssh2's generator drops a leading zero byte of the public key (about one
 * key in 256), producing a key it then cannot parse: generate again in that case.
 */
function hostKey(): string {
  for (;;) {
    const key = ssh2.utils.generateKeyPairSync('ed25519').private;
    if (!(ssh2.utils.parseKey(key) instanceof Error)) return key;
  }
}

export class SimulatedRouter {
  readonly state: RouterState;
  readonly host: string;
  readonly username: string;
  readonly password: string;
  faults: Faults;
  /** Refuse all connections (a router that is off or unreachable). */
  offline = false;
  rebooting = false;
  /** Connections accepted so far (including refused logins). */
  connections = 0;
  /** Authentication requests received so far, of any method ('none' too), accepted or not. */
  authAttempts = 0;
  /** Connections open now (a client that never closes its session keeps one). */
  get openConnections(): number {
    return this.sockets.size;
  }
  /** Commands (exec channels) received so far. */
  commands = 0;
  /** Uploads started so far. */
  uploads = 0;
  /** Image downloads (`wget`) started so far. */
  downloads = 0;
  /** Bytes of the backup archive sent by `cat` (the `backupEndless` fault counts what the client took). */
  backupBytesSent = 0;
  private backupReads = 0;
  private damagedUploads = 0;
  /** Uploads being received now (`cat > path`, and downloads by `wget`). */
  receiving = 0;
  /** The `wget` downloads running, by the file they write. */
  private readonly pulls = new Map<string, AbortController>();
  private port: number;
  private listener: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly servers: ssh2.Server[];
  /** The host keys (private, OpenSSH format) of `servers`, in the same order. */
  private readonly hostKeys: string[];
  private readonly rebootMs: number;
  private readonly authorizedKeys: ReturnType<typeof ssh2.utils.parseKey>[];

  constructor(private readonly options: RouterOptions) {
    this.state = new RouterState(options);
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.username = options.username ?? 'root';
    this.password = options.password ?? 'simulated';
    this.rebootMs = options.rebootMs ?? 3000;
    this.faults = { ...options.faults };
    if (this.faults.boardMismatch) this.state.reportedBoard = this.faults.boardMismatch;
    this.authorizedKeys = (options.authorizedKeys ?? []).map((key) => ssh2.utils.parseKey(key));
    // Two identities: the second is presented after the first connection when the host key "changes".
    this.hostKeys = [hostKey(), hostKey()];
    this.servers = this.hostKeys.map((key) => this.makeServer(key));
    this.state.onFlash = (request) => this.flash(request);
    this.state.onReboot = () => void this.rebootCommand();
  }

  get address(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  /**
   * The public host key (SSH wire format) the next connection is shown: the first identity, or the second
   * once the `changedHostKey` fault has switched it. What a client pins.
   */
  get hostPublicKey(): Buffer {
    const index = this.faults.changedHostKey && this.connections > 0 ? 1 : 0;
    const key = ssh2.utils.parseKey(this.hostKeys[index]!);
    if (key instanceof Error) throw key;
    return key.getPublicSSH();
  }

  get name(): string {
    return this.options.name;
  }

  get flashCount(): number {
    return this.state.flashCount;
  }

  describe(): RouterDescription {
    return {
      name: this.options.name,
      mac_address: this.options.macAddress,
      host: this.host,
      port: this.port,
      board_name: this.state.reportedBoard,
      model: this.options.model,
      os: describeRelease(this.state.release),
      username: this.username,
      password: this.password,
      faults: this.faults,
      flash_count: this.state.flashCount,
      release: describeRelease(this.state.release),
    };
  }

  async start(): Promise<void> {
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.listener ? this.listener.close(() => resolve()) : resolve()));
    this.listener = null;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const listener = net.createServer((socket) => this.accept(socket));
      listener.once('error', reject);
      listener.listen(port, this.host, () => {
        listener.removeListener('error', reject);
        this.port = (listener.address() as net.AddressInfo).port;
        this.listener = listener;
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    if (this.offline || this.rebooting) {
      socket.destroy();
      return;
    }
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    const server = this.faults.changedHostKey && this.connections > 1 ? this.servers[1]! : this.servers[0]!;
    server.injectSocket(socket);
  }

  private makeServer(key: string): ssh2.Server {
    const server = new ssh2.Server({ hostKeys: [key] }, (client) => {
      client.on('error', () => {});
      client.on('authentication', (context) => {
        this.authAttempts += 1;
        if (this.faults.authRefused || context.username !== this.username)
          return context.reject(['password', 'publickey']);
        if (context.method === 'password' && context.password === this.password) return context.accept();
        if (context.method === 'publickey') {
          const key = this.authorizedKeys.find(
            (candidate) =>
              !(candidate instanceof Error) &&
              candidate.type === context.key.algo &&
              candidate.getPublicSSH().equals(context.key.data),
          );
          if (key && !(key instanceof Error)) {
            // Without a signature the client only asks whether the key would do.
            if (!context.signature) return context.accept();
            if (context.blob && key.verify(context.blob, context.signature, context.hashAlgo) === true)
              return context.accept();
          }
        }
        context.reject(['password', 'publickey']);
      });
      client.on('ready', () => {
        client.on('session', (accept) => {
          const session = accept();
          session.on('exec', (acceptExec, _reject, info) => {
            const channel = acceptExec();
            this.commands += 1;
            void this.exec(info.command, channel, client);
          });
          session.on('pty', (acceptPty) => acceptPty?.());
          session.on('shell', (_accept, reject) => reject?.());
          session.on('sftp', (_accept, reject) => reject?.());
        });
      });
    });
    server.on('error', () => {});
    return server;
  }

  private async exec(command: string, channel: ssh2.ServerChannel, client: ssh2.Connection): Promise<void> {
    const upload = UPLOAD_COMMAND.exec(command);
    if (upload) return this.receiveUpload(upload[1] ?? upload[2] ?? upload[3]!, channel, upload[4] !== undefined);
    const scp = SCP_SINK_COMMAND.exec(command);
    if (scp) return this.receiveScp(scp[1] ?? scp[2]!, channel);
    const wget = WGET_COMMAND.exec(command);
    if (wget) return this.download(wget[3] ?? wget[4]!, wget[1] ?? wget[2]!, channel, /\bsha256sum\s/.test(command));
    if (this.faults.flashHangs && FLASH_COMMAND.test(command)) return this.hangFlash(channel, client);
    if (this.faults.pidofFailsWith !== undefined && /^\s*pidof\b/.test(command)) {
      channel.stderr.write('/bin/ash: pidof: not found\n');
      channel.exit(this.faults.pidofFailsWith);
      channel.end();
      return;
    }
    if (this.faults.probeHangs !== undefined && command.includes(this.faults.probeHangs)) return;
    if (this.faults.probeFails !== undefined && command.includes(this.faults.probeFails)) {
      channel.write(`simulated probe failure: ${command}\n`);
      channel.exit(1);
      channel.end();
      return;
    }
    const backupRead = BACKUP_READ_COMMAND.exec(command);
    if (backupRead) return this.backUp(backupRead[1]!, channel, client);
    if (this.faults.backupFails && BACKUP_COMMAND.test(command)) {
      channel.stderr.write("tar: can't write the archive: No space left on device\n");
      channel.exit(1);
      channel.end();
      return;
    }
    if (this.faults.restoreFails && RESTORE_COMMAND.test(command)) {
      channel.stderr.write("tar: can't remove old file etc/config/network: Read-only file system\n");
      channel.exit(1);
      channel.end();
      return;
    }
    // The backup archive is bytes: it goes out as such, not through the shell's text.
    const binary = CAT_COMMAND.exec(command);
    const bytes = binary ? this.state.readBinary(binary[1] ?? binary[2]!) : null;
    if (bytes) return this.sendBackup(bytes, channel, client);
    const stopPull = STOP_PULL_COMMAND.exec(command);
    if (stopPull) this.pulls.get(stopPull[1]!)?.abort();
    const result = await runShell(stopPull ? `rm -f '${stopPull[1]}'` : command, this.state);
    if (result.stdout) channel.write(result.stdout);
    if (result.stderr) channel.stderr.write(result.stderr);
    channel.exit(result.code);
    channel.end();
  }

  /**
   * `wget` of an image from the server (`openwrt.image_transfer: pull`); stops when the channel goes. A
   * command that asks for it (`… && sha256sum FILE`) then prints the file's checksum.
   */
  private async download(url: string, path: string, channel: ssh2.ServerChannel, checksum: boolean): Promise<void> {
    this.downloads += 1;
    this.receiving += 1;
    // Ended by its channel closing, or by the upgrader's stop command (the `kill` of a left-over wget).
    const stop = new AbortController();
    this.pulls.set(path, stop);
    channel.once('close', () => stop.abort());
    try {
      const result = await download(this.state, url, path, this.faults, stop.signal);
      if (stop.signal.aborted) return;
      if (result.stderr) channel.stderr.write(result.stderr);
      if (result.code === 0 && checksum) channel.write((await runShell(`sha256sum '${path}'`, this.state)).stdout);
      channel.exit(result.code);
      channel.end();
    } finally {
      this.receiving -= 1;
      if (this.pulls.get(path) === stop) this.pulls.delete(path);
    }
  }

  /**
   * The backup in one command: the archive written by `sysupgrade -b` (what it prints goes to stderr), sent,
   * and removed, with the exit status the router's shell would give (sysupgrade's, else cat's).
   */
  private async backUp(path: string, channel: ssh2.ServerChannel, client: ssh2.Connection): Promise<void> {
    const made = this.faults.backupFails
      ? { code: 1, stdout: '', stderr: "tar: can't write the archive: No space left on device\n" }
      : await runShell(`sysupgrade -b '${path}'`, this.state);
    const bytes = made.code === 0 ? this.state.readBinary(path) : null;
    if (!bytes) {
      channel.stderr.write(`${made.stdout}${made.stderr}` || `cat: can't open '${path}': No such file or directory\n`);
      channel.exit(made.code || 1);
      channel.end();
      return;
    }
    if (made.stdout) channel.stderr.write(made.stdout);
    this.sendBackup(bytes, channel, client);
    this.state.remove(path, false);
  }

  /** A backup archive's bytes, with the backup faults (endless, a connection dropped halfway). */
  private sendBackup(bytes: Buffer, channel: ssh2.ServerChannel, client: ssh2.Connection): void {
    if (this.faults.backupEndless) {
      this.sendEndless(channel);
      return;
    }
    if (this.backupReads < (this.faults.backupReadDrops ?? 0)) {
      this.backupReads += 1;
      channel.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      client.end();
      return;
    }
    this.backupBytesSent += bytes.length;
    channel.write(bytes);
    channel.exit(0);
    channel.end();
  }

  /** The `backupEndless` fault: zeros as fast as the client reads them, until it closes the channel. */
  private sendEndless(channel: ssh2.ServerChannel): void {
    const chunk = Buffer.alloc(64 * 1024);
    let open = true;
    channel.once('close', () => {
      open = false;
    });
    const pump = () => {
      while (open) {
        this.backupBytesSent += chunk.length;
        if (!channel.write(chunk)) return void channel.once('drain', pump);
      }
    };
    pump();
  }

  /** The `flashHangs` fault: a sysupgrade process that never gets to flash and dies with its session. */
  private hangFlash(channel: ssh2.ServerChannel, client: ssh2.Connection): void {
    const stop = this.state.startProcess('sysupgrade');
    // A client that dies leaves no channel close behind, only the connection's.
    channel.once('close', stop);
    client.once('close', stop);
  }

  /** Throttle and cut faults apply to every way a file arrives. */
  private transferGuard(channel: ssh2.ServerChannel): (bytes: number) => Promise<boolean> {
    this.uploads += 1;
    const cutAt =
      this.faults.transferCutAt !== undefined && this.uploads <= (this.faults.transferCutTimes ?? 1)
        ? this.faults.transferCutAt
        : null;
    const rate = this.faults.slowLinkBytesPerSecond;
    let received = 0;
    return async (bytes) => {
      received += bytes;
      if (cutAt !== null && received >= cutAt) {
        // The link drops: the whole connection goes, as when a cable is pulled.
        for (const socket of this.sockets) socket.destroy();
        return false;
      }
      if (rate) {
        channel.pause();
        await new Promise((resolve) => setTimeout(resolve, (bytes / rate) * 1000));
        channel.resume();
      }
      return true;
    };
  }

  private receiveUpload(path: string, channel: ssh2.ServerChannel, checksum: boolean): void {
    const sink = this.state.beginUpload(path);
    let damage = this.damagedUploads < (this.faults.uploadsDamaged ?? 0);
    if (damage) this.damagedUploads += 1;
    const guard = this.transferGuard(channel);
    this.receiving += 1;
    let counted = true;
    const ended = () => {
      if (counted) this.receiving -= 1;
      counted = false;
    };
    channel.on('end', ended);
    channel.on('close', ended);
    let failed: string | null = null;
    let queue = Promise.resolve(true);
    channel.on('data', (chunk: Buffer) => {
      queue = queue.then(async (alive) => {
        if (!alive) return false;
        if (damage) {
          damage = false;
          chunk = Buffer.from(chunk);
          chunk[0] = chunk[0]! ^ 0xff;
        }
        if (!failed) failed = sink.write(chunk);
        return guard(chunk.length);
      });
    });
    channel.on('end', () => {
      void queue.then(async (alive) => {
        if (!alive) return sink.abort();
        if (failed) {
          sink.abort();
          channel.stderr.write(`/bin/ash: can't create ${path}: ${failed}\n`);
          channel.exit(1);
          channel.end();
          return;
        }
        sink.end();
        if (checksum) channel.write((await runShell(`sha256sum '${path}'`, this.state)).stdout);
        channel.exit(0);
        channel.end();
      });
    });
    // Closed before the end arrived (the link dropped): what arrived stays, damaged.
    channel.on('close', () => void queue.then(() => sink.abort()));
  }

  /**
   * The sink side of the legacy scp protocol (`scp -t`), as dropbear's scp runs it: acknowledge,
   * read "C<mode> <size> <name>", acknowledge, read the bytes and a NUL, acknowledge.
   */
  private receiveScp(target: string, channel: ssh2.ServerChannel): void {
    const guard = this.transferGuard(channel);
    let buffer = Buffer.alloc(0);
    let sink: ReturnType<RouterState['beginUpload']> | null = null;
    let remaining = 0;
    let queue = Promise.resolve(true);
    const ack = () => channel.write(Buffer.from([0]));
    const handle = async (chunk: Buffer): Promise<boolean> => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length > 0) {
        if (sink) {
          const take = Math.min(remaining, buffer.length);
          if (take > 0) {
            const problem = sink.write(buffer.subarray(0, take));
            if (problem) {
              channel.write(`\u0002scp: ${target}: ${problem}\n`);
              sink.abort();
              channel.exit(1);
              channel.end();
              return false;
            }
            remaining -= take;
            buffer = buffer.subarray(take);
            if (!(await guard(take))) return false;
          }
          if (remaining === 0 && buffer.length > 0) {
            buffer = buffer.subarray(1); // the NUL after the data
            sink.end();
            sink = null;
            ack();
          }
          continue;
        }
        const newline = buffer.indexOf(0x0a);
        if (newline < 0) return true;
        const line = buffer.subarray(0, newline).toString();
        buffer = buffer.subarray(newline + 1);
        const match = /^C[0-7]{4} (\d+) (.+)$/.exec(line);
        if (match) {
          const path = this.state.isDirectory(target) ? `${target.replace(/\/$/, '')}/${match[2]}` : target;
          sink = this.state.beginUpload(path);
          remaining = Number(match[1]);
          ack();
        } else if (/^[TD]/.test(line)) {
          ack();
        } else if (line === 'E') {
          ack();
        } else {
          channel.write(`\u0001scp: protocol error: ${line}\n`);
        }
      }
      return true;
    };
    ack();
    channel.on('data', (chunk: Buffer) => {
      queue = queue.then((alive) => (alive ? handle(chunk) : false));
    });
    channel.on('end', () => {
      void queue.then((alive) => {
        if (!alive) return;
        channel.exit(sink ? 1 : 0);
        channel.end();
      });
    });
  }

  /** sysupgrade commenced: drop every session, reboot, come back (or not) per the faults. */
  private flash(request: FlashRequest): void {
    this.rebooting = true;
    setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, 20);
    if (this.faults.neverReturns) return;
    setTimeout(() => void this.finishReboot(request), this.rebootMs);
  }

  private async finishReboot(request: FlashRequest): Promise<void> {
    await this.state.applyFlash(request, this.faults.returnsOldRelease === true);
    if (!request.keepConfig) {
      // Configuration discarded: dropbear generates a new host key at first boot.
      this.hostKeys[0] = hostKey();
      this.servers[0] = this.makeServer(this.hostKeys[0]);
    }
    if (this.faults.wrongAddressAfterReboot) {
      await this.stop();
      await this.listen(0);
      this.options.onAddressChange?.(this);
    }
    this.rebooting = false;
  }

  /** `reboot`: sessions drop a moment later, the router comes back on the same release (unless it never returns). */
  private async rebootCommand(): Promise<void> {
    this.rebooting = true;
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const socket of this.sockets) socket.destroy();
    if (this.faults.neverReturns) return;
    await new Promise((resolve) => setTimeout(resolve, this.rebootMs));
    this.state.reboot();
    this.rebooting = false;
  }

  /** Reboot without flashing (a power cycle). */
  async powerCycle(downMs = this.rebootMs): Promise<void> {
    this.rebooting = true;
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    this.state.reboot();
    this.rebooting = false;
  }
}
