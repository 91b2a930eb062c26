import { createHash, randomUUID } from 'node:crypto';
import { FWTOOL_TAIL_BYTES, parseFwtoolMetadataFromTail } from '../src/modules/firmware/fwtool.js';
import { readConfigArchive, writeConfigArchive } from './config-archive.js';
import type { ShellResult, ShellSystem } from './shell.js';

/**
 * The inside of a simulated OpenWrt router: files, services, memory, release, boot id, and the
 * commands upgraders run (ubus, uci, df, sha256sum, sysupgrade, init scripts). No networking here:
 * `SimulatedRouter` puts it behind an SSH server.
 */

export interface Release {
  distribution: string;
  version: string;
  revision: string;
  target: string;
}

export function describeRelease(release: Release): string {
  return `${release.distribution} ${release.version} ${release.revision}`;
}

export interface RouterSpec {
  name: string;
  macAddress: string;
  boardName: string;
  model: string;
  release: Release;
  /** Total RAM in kB (default 125 MiB). */
  memTotalKb?: number;
  /** A UUID as openwisp-config stores it (for the OpenWISP upgrader's identity check). */
  openwispUuid?: string;
}

/** An uploaded file is kept as its hash, size and last bytes: 1,000 routers × 30 MiB would not fit in memory. */
interface ImageFile {
  kind: 'image';
  sha256: string;
  size: number;
  tail: Buffer;
  /** The whole content of a small upload (a configuration backup to restore); null past SMALL_UPLOAD_BYTES. */
  data: Buffer | null;
}

/** Uploads up to this size keep their bytes (a backup for `sysupgrade -r`); images keep hash, size and tail. */
const SMALL_UPLOAD_BYTES = 1024 * 1024;

interface TextFile {
  kind: 'text';
  content: string;
}

/** A file of bytes the router wrote itself (the `sysupgrade -b` archive), read back with `cat`. */
interface BinaryFile {
  kind: 'binary';
  content: Buffer;
}

type Entry = ImageFile | TextFile | BinaryFile | { kind: 'dir' };

export interface FlashRequest {
  image: ImageFile;
  keepConfig: boolean;
  options: string[];
}

const SERVICES: Record<string, number> = {
  dropbear: 600,
  network: 1200,
  firewall: 800,
  log: 500,
  uhttpd: 2500,
  dnsmasq: 2000,
  odhcpd: 900,
  cron: 300,
  rpcd: 1500,
  collectd: 4000,
  statistics: 1000,
};
/** Services whose stop frees memory for an upgrade; dropbear and network never stop. */
const DEFAULT_CACHE_KB = 16_000;
const BASE_USED_KB = 30_000;

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function parentOf(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

export class RouterState implements ShellSystem {
  readonly spec: RouterSpec;
  release: Release;
  bootId = randomUUID();
  /** Board name the router reports (a fault may make it differ from the spec). */
  reportedBoard: string;
  private readonly entries = new Map<string, Entry>();
  private readonly running = new Set(Object.keys(SERVICES));
  private cacheKb = DEFAULT_CACHE_KB;
  memTotalKb: number;
  flashCount = 0;
  /** Long-running processes by name (what `pidof` finds), each with its pids. */
  private readonly processes = new Map<string, Set<number>>();
  private nextPid = 1000;
  /** Called when sysupgrade commences; the router drops its sessions and reboots. */
  onFlash: (request: FlashRequest) => void = () => {};
  /** Called on `reboot`: the router drops its sessions and comes back on the same release. */
  onReboot: () => void = () => {};
  /** Configuration restores (`sysupgrade -r`) performed. */
  restoreCount = 0;

  constructor(spec: RouterSpec) {
    this.spec = spec;
    this.release = { ...spec.release };
    this.reportedBoard = spec.boardName;
    this.memTotalKb = spec.memTotalKb ?? 125_000;
    for (const dir of ['/etc', '/etc/config', '/etc/init.d', '/tmp', '/tmp/sysinfo', '/proc', '/sbin', '/rom'])
      this.entries.set(dir, { kind: 'dir' });
    for (const service of Object.keys(SERVICES))
      this.entries.set(`/etc/init.d/${service}`, { kind: 'text', content: '#!/bin/sh /etc/rc.common\n' });
    this.entries.set('/sbin/wifi', { kind: 'text', content: '#!/bin/sh\n' });
    this.entries.set('/sbin/sysupgrade', { kind: 'text', content: '#!/bin/sh\n' });
    this.entries.set('/etc/config/system', {
      kind: 'text',
      content: `config system\n\toption hostname '${spec.name}'\n\toption timezone 'UTC'\n`,
    });
    this.entries.set('/etc/config/network', {
      kind: 'text',
      content: "config interface 'lan'\n\toption proto 'static'\n\toption ipaddr '192.168.1.1'\n",
    });
    this.entries.set('/etc/config/openwisp', {
      kind: 'text',
      content: `config controller 'http'\n\toption uuid '${(spec.openwispUuid ?? randomUUID()).replace(/-/g, '')}'\n`,
    });
  }

  get description(): string {
    return describeRelease(this.release);
  }

  // --- memory --------------------------------------------------------------------------------

  private get tmpUsedKb(): number {
    let used = 0;
    for (const [path, entry] of this.entries) {
      if (!path.startsWith('/tmp/')) continue;
      used +=
        entry.kind === 'image'
          ? Math.ceil(entry.size / 1024)
          : entry.kind === 'text' || entry.kind === 'binary'
            ? Math.ceil(entry.content.length / 1024)
            : 0;
    }
    return used;
  }

  get memAvailableKb(): number {
    const services = [...this.running].reduce((sum, service) => sum + (SERVICES[service] ?? 0), 0);
    return Math.max(0, this.memTotalKb - BASE_USED_KB - services - this.tmpUsedKb - Math.floor(this.cacheKb / 2));
  }

  get tmpSizeKb(): number {
    return Math.floor(this.memTotalKb / 2);
  }

  private meminfo(): string {
    const available = this.memAvailableKb;
    const free = Math.max(0, available - this.cacheKb);
    return [
      `MemTotal:       ${String(this.memTotalKb).padStart(8)} kB`,
      `MemFree:        ${String(free).padStart(8)} kB`,
      `MemAvailable:   ${String(available).padStart(8)} kB`,
      `Buffers:        ${String(2048).padStart(8)} kB`,
      `Cached:         ${String(this.cacheKb).padStart(8)} kB`,
      `Shmem:          ${String(this.tmpUsedKb).padStart(8)} kB`,
      '',
    ].join('\n');
  }

  // --- files ---------------------------------------------------------------------------------

  private generated(path: string): string | null {
    switch (path) {
      case '/proc/meminfo':
        return this.meminfo();
      case '/proc/sys/kernel/random/boot_id':
        return `${this.bootId}\n`;
      case '/tmp/sysinfo/board_name':
        return `${this.reportedBoard}\n`;
      case '/tmp/sysinfo/model':
        return `${this.spec.model}\n`;
      case '/etc/openwrt_release':
        return [
          `DISTRIB_ID='${this.release.distribution}'`,
          `DISTRIB_RELEASE='${this.release.version}'`,
          `DISTRIB_REVISION='${this.release.revision}'`,
          `DISTRIB_TARGET='${this.release.target}'`,
          `DISTRIB_ARCH='mips_24kc'`,
          `DISTRIB_DESCRIPTION='${this.description}'`,
          '',
        ].join('\n');
      default:
        return null;
    }
  }

  readFile(path: string): string | null {
    const normalized = normalize(path);
    const generated = this.generated(normalized);
    if (generated !== null) return generated;
    const entry = this.entries.get(normalized);
    if (!entry || entry.kind === 'dir') return null;
    // An image as text: its bytes are not kept, and no upgrader reads one back this way. Binary files
    // go out as bytes (`readBinary`), not through the shell's text.
    return entry.kind === 'text' ? entry.content : entry.kind === 'binary' ? entry.content.toString('latin1') : '';
  }

  /** The bytes of a file the router wrote as bytes (the backup archive); null for any other path. */
  readBinary(path: string): Buffer | null {
    const entry = this.entries.get(normalize(path));
    return entry?.kind === 'binary' ? entry.content : null;
  }

  /** The configuration `sysupgrade -b` saves: the files of /etc/config. */
  configFiles(): Map<string, string> {
    const files = new Map<string, string>();
    for (const [path, entry] of [...this.entries].sort(([a], [b]) => a.localeCompare(b)))
      if (path.startsWith('/etc/config/') && entry.kind === 'text') files.set(path.slice(1), entry.content);
    return files;
  }

  writeFile(path: string, content: string, append: boolean): string | null {
    const normalized = normalize(path);
    if (normalized === '/proc/sys/vm/drop_caches') {
      this.cacheKb = 0;
      return null;
    }
    if (normalized.startsWith('/proc')) return 'Permission denied';
    if (!this.isDirectory(parentOf(normalized))) return 'No such file or directory';
    const previous = this.entries.get(normalized);
    const before = append && previous?.kind === 'text' ? previous.content : '';
    this.entries.set(normalized, { kind: 'text', content: before + content });
    return null;
  }

  exists(path: string): boolean {
    const normalized = normalize(path);
    return this.entries.has(normalized) || this.generated(normalized) !== null;
  }

  isDirectory(path: string): boolean {
    const normalized = normalize(path);
    return normalized === '/' || this.entries.get(normalized)?.kind === 'dir';
  }

  isExecutable(path: string): boolean {
    const normalized = normalize(path);
    return normalized.startsWith('/etc/init.d/') || normalized.startsWith('/sbin/')
      ? this.entries.has(normalized)
      : false;
  }

  mkdir(path: string): void {
    let current = '';
    for (const part of normalize(path).split('/').filter(Boolean)) {
      current += `/${part}`;
      if (!this.entries.has(current)) this.entries.set(current, { kind: 'dir' });
    }
  }

  remove(path: string, recursive: boolean): boolean {
    const normalized = normalize(path.replace(/\/+$/, ''));
    if (!this.entries.has(normalized)) return false;
    if (this.entries.get(normalized)?.kind === 'dir') {
      if (!recursive) return false;
      for (const key of [...this.entries.keys()]) if (key.startsWith(`${normalized}/`)) this.entries.delete(key);
    }
    this.entries.delete(normalized);
    return true;
  }

  list(path: string): string[] | null {
    const normalized = normalize(path);
    if (!this.isDirectory(normalized)) return null;
    const prefix = normalized === '/' ? '/' : `${normalized}/`;
    return [...this.entries.keys()]
      .filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('/'))
      .map((key) => key.slice(prefix.length))
      .sort();
  }

  /** Receives an upload (`cat > path`, `scp -t`) chunk by chunk, keeping only hash, size and tail. */
  beginUpload(path: string): { write(chunk: Buffer): string | null; end(): void; abort(): void } {
    const normalized = normalize(path);
    if (!this.isDirectory(parentOf(normalized))) {
      return { write: () => 'No such file or directory', end: () => {}, abort: () => {} };
    }
    const hash = createHash('sha256');
    let size = 0;
    // The last chunks, at least FWTOOL_TAIL_BYTES together: joined once, at the end.
    const tailChunks: Buffer[] = [];
    let tailLength = 0;
    let finished = false;
    const image: ImageFile = { kind: 'image', sha256: '', size: 0, tail: Buffer.alloc(0), data: null };
    const small: Buffer[] = [];
    const joinTail = () => {
      const joined = Buffer.concat(tailChunks);
      return joined.length > FWTOOL_TAIL_BYTES ? joined.subarray(joined.length - FWTOOL_TAIL_BYTES) : joined;
    };
    this.entries.set(normalized, image);
    return {
      write: (chunk) => {
        if (normalized.startsWith('/tmp/') && this.tmpUsedKb + Math.ceil(chunk.length / 1024) > this.tmpSizeKb)
          return 'No space left on device';
        hash.update(chunk);
        size += chunk.length;
        if (size <= SMALL_UPLOAD_BYTES) small.push(chunk);
        tailChunks.push(chunk);
        tailLength += chunk.length;
        while (tailChunks.length > 1 && tailLength - tailChunks[0]!.length >= FWTOOL_TAIL_BYTES)
          tailLength -= tailChunks.shift()!.length;
        image.size = size;
        return null;
      },
      end: () => {
        if (finished) return;
        finished = true;
        image.sha256 = hash.digest('hex');
        image.tail = Buffer.from(joinTail());
        image.data = size <= SMALL_UPLOAD_BYTES ? Buffer.concat(small) : null;
      },
      abort: () => {
        if (finished) return;
        finished = true;
        // A cut transfer leaves a partial file, as cat would.
        image.sha256 = createHash('sha256').update(`partial:${size}`).digest('hex');
        image.tail = Buffer.from(joinTail());
      },
    };
  }

  // --- processes -----------------------------------------------------------------------------

  /** Records a running process (e.g. a hung sysupgrade); returns what ends it. */
  startProcess(name: string): () => void {
    this.nextPid += 1;
    const pid = this.nextPid;
    const pids = this.processes.get(name) ?? new Set<number>();
    pids.add(pid);
    this.processes.set(name, pids);
    return () => {
      pids.delete(pid);
      if (pids.size === 0 && this.processes.get(name) === pids) this.processes.delete(name);
    };
  }

  /** Names of the processes running now. */
  get runningProcesses(): string[] {
    return [...this.processes.keys()].sort();
  }

  private pidof(names: string[]): ShellResult {
    // Running services count as processes too (a health probe's `pidof dnsmasq`), with a pid of their own.
    const servicePids = names.filter((name) => this.running.has(name)).map((name) => (SERVICES[name] ?? 0) + 100);
    const pids = [...names.flatMap((name) => [...(this.processes.get(name) ?? [])]), ...servicePids];
    return pids.length > 0
      ? { stdout: `${pids.join(' ')}\n`, stderr: '', code: 0 }
      : { stdout: '', stderr: '', code: 1 };
  }

  // --- commands ------------------------------------------------------------------------------

  async command(command: string, args: string[], _stdin: string): Promise<ShellResult | null> {
    const name = command.slice(command.lastIndexOf('/') + 1);
    if (command.startsWith('/etc/init.d/')) return this.initScript(name, args[0] ?? '');
    switch (name) {
      case 'ubus':
        return this.ubus(args);
      case 'uci':
        return this.uci(args);
      case 'sha256sum':
        return this.sha256sum(args);
      case 'df':
        return this.df(args);
      case 'sysupgrade':
        return this.sysupgrade(args);
      case 'wifi':
        return { stdout: '', stderr: '', code: 0 };
      case 'free':
        return {
          stdout: `Mem: ${this.memTotalKb} ${this.memTotalKb - this.memAvailableKb} ${this.memAvailableKb}\n`,
          stderr: '',
          code: 0,
        };
      case 'uptime':
        return { stdout: ' 12:00:00 up 1 min,  load average: 0.00, 0.00, 0.00\n', stderr: '', code: 0 };
      case 'logger':
        return { stdout: '', stderr: '', code: 0 };
      case 'ping':
        // Every host answers: a simulated router has no network to lose.
        return {
          stdout: `PING ${args.at(-1) ?? ''}: 56 data bytes\n1 packets transmitted, 1 packets received\n`,
          stderr: '',
          code: 0,
        };
      case 'pidof':
        return this.pidof(args);
      case 'reboot':
        this.onReboot();
        return { stdout: '', stderr: '', code: 0 };
      default:
        return null;
    }
  }

  private initScript(service: string, action: string): ShellResult {
    if (!this.entries.has(`/etc/init.d/${service}`))
      return { stdout: '', stderr: `/bin/ash: /etc/init.d/${service}: not found\n`, code: 127 };
    if (action === 'stop') this.running.delete(service);
    else if (action === 'start' || action === 'restart' || action === 'reload') this.running.add(service);
    return { stdout: '', stderr: '', code: 0 };
  }

  get runningServices(): string[] {
    return [...this.running].sort();
  }

  private ubus(args: string[]): ShellResult {
    if (args[0] === 'call' && args[1] === 'system' && args[2] === 'board') {
      const board = {
        kernel: '5.15.150',
        hostname: this.spec.name,
        system: 'Qualcomm Atheros QCA956X ver 1 rev 0',
        model: this.spec.model,
        board_name: this.reportedBoard,
        rootfs_type: 'squashfs',
        release: {
          distribution: this.release.distribution,
          version: this.release.version,
          revision: this.release.revision,
          target: this.release.target,
          description: this.description,
        },
      };
      return { stdout: `${JSON.stringify(board, null, '\t')}\n`, stderr: '', code: 0 };
    }
    if (args[0] === 'call' && args[1] === 'system' && args[2] === 'info') {
      const info = {
        uptime: 60,
        memory: {
          total: this.memTotalKb * 1024,
          free: this.memAvailableKb * 1024,
          available: this.memAvailableKb * 1024,
        },
      };
      return { stdout: `${JSON.stringify(info)}\n`, stderr: '', code: 0 };
    }
    if (args[0] === 'call' && /^network\.interface\.[a-z0-9_]+$/.test(args[1] ?? '') && args[2] === 'status') {
      // A healthy router: every interface up (the fault `probeFails` makes a WAN probe fail).
      const status = { up: true, pending: false, available: true, interface: args[1]!.split('.')[2] };
      return { stdout: `${JSON.stringify(status, null, '\t')}\n`, stderr: '', code: 0 };
    }
    return { stdout: '', stderr: 'Command failed: Not found\n', code: 4 };
  }

  private uci(args: string[]): ShellResult {
    if (args[0] === 'get' && args[1] === 'openwisp.http.uuid') {
      const match = /option uuid '([^']+)'/.exec(this.readFile('/etc/config/openwisp') ?? '');
      if (match) return { stdout: `${match[1]}\n`, stderr: '', code: 0 };
    }
    return { stdout: '', stderr: 'uci: Entry not found\n', code: 1 };
  }

  private sha256sum(args: string[]): ShellResult {
    let stdout = '';
    for (const path of args) {
      const entry = this.entries.get(normalize(path));
      if (!entry || entry.kind === 'dir')
        return { stdout, stderr: `sha256sum: ${path}: No such file or directory\n`, code: 1 };
      const digest = entry.kind === 'image' ? entry.sha256 : createHash('sha256').update(entry.content).digest('hex');
      stdout += `${digest}  ${path}\n`;
    }
    return { stdout, stderr: '', code: 0 };
  }

  private df(args: string[]): ShellResult {
    const paths = args.filter((arg) => !arg.startsWith('-'));
    const header = 'Filesystem           1K-blocks      Used Available Use% Mounted on\n';
    const tmpFreeKb = this.tmpSizeKb - this.tmpUsedKb;
    const tmpUsePercent = Math.round((this.tmpUsedKb / this.tmpSizeKb) * 100);
    const tmp =
      'tmpfs               ' +
      ` ${String(this.tmpSizeKb).padStart(9)} ${String(this.tmpUsedKb).padStart(9)} ${String(tmpFreeKb).padStart(9)}` +
      ` ${String(tmpUsePercent).padStart(3)}% /tmp\n`;
    const overlay = 'overlayfs:/overlay         7680       512      7168   7% /\n';
    if (paths.length === 0) return { stdout: header + overlay + tmp, stderr: '', code: 0 };
    return {
      stdout: header + (paths.every((path) => normalize(path).startsWith('/tmp')) ? tmp : overlay),
      stderr: '',
      code: 0,
    };
  }

  private async sysupgrade(args: string[]): Promise<ShellResult> {
    const flags = new Set<string>();
    let path: string | undefined;
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i]!;
      if (arg === '--test') flags.add('T');
      else if (arg === '--force') flags.add('F');
      else if (arg === '-r' || arg === '--restore-backup') return this.restoreBackup(args[i + 1]);
      else if (arg === '-b' || arg === '--create-backup') {
        const target = args[i + 1];
        if (!target) return { stdout: '', stderr: 'sysupgrade: -b needs a file\n', code: 1 };
        if (!this.isDirectory(parentOf(normalize(target))))
          return { stdout: '', stderr: `tar: can't open '${target}': No such file or directory\n`, code: 1 };
        this.entries.set(normalize(target), { kind: 'binary', content: writeConfigArchive(this.configFiles()) });
        return { stdout: `Saving config files...\n`, stderr: '', code: 0 };
      } else if (/^-[a-zA-Z]+$/.test(arg)) for (const flag of arg.slice(1)) flags.add(flag);
      else path = arg;
    }
    const unknown = [...flags].filter((flag) => !'TFvqconupkd'.includes(flag));
    if (unknown.length > 0 || !path)
      return { stdout: '', stderr: 'Usage: sysupgrade [<upgrade-option>...] <image file or URL>\n', code: 1 };
    if (flags.has('n') && (flags.has('c') || flags.has('o')))
      return { stdout: '', stderr: 'sysupgrade: -n cannot be combined with -c or -o\n', code: 1 };
    const entry = this.entries.get(normalize(path));
    if (entry?.kind !== 'image') return { stdout: '', stderr: `Image file not found: ${path}\n`, code: 1 };
    const force = flags.has('F');
    const metadata = await parseFwtoolMetadataFromTail(entry.size, entry.tail);
    const problems: string[] = [];
    if (!metadata) problems.push('Image metadata not present');
    else if (!metadata.supported_devices.includes(this.reportedBoard)) {
      problems.push(
        `Device ${this.reportedBoard} not supported by this image`,
        `Supported devices: ${metadata.supported_devices.join(' ')}`,
      );
    }
    if (problems.length > 0 && !force) {
      return { stdout: '', stderr: `${problems.join('\n')}\nImage check failed.\n`, code: 1 };
    }
    const warnings =
      problems.length > 0 ? `${problems.join('\n')}\nImage check failed but --force given - will update anyway!\n` : '';
    if (flags.has('T')) return { stdout: '', stderr: warnings, code: 0 };
    this.onFlash({ image: entry, keepConfig: !flags.has('n'), options: [...flags] });
    const keep = flags.has('n') ? '' : 'Saving config files...\n';
    return { stdout: `${warnings}${keep}Commencing upgrade. Closing all shell sessions.\n`, stderr: '', code: 0 };
  }

  /** `sysupgrade -r <file>`: the archive's files replace those on the router; no reboot (that is `reboot`). */
  private restoreBackup(path: string | undefined): ShellResult {
    if (!path) return { stdout: '', stderr: 'sysupgrade: -r needs a file\n', code: 1 };
    const entry = this.entries.get(normalize(path));
    const bytes = entry?.kind === 'binary' ? entry.content : entry?.kind === 'image' ? entry.data : null;
    if (!bytes) return { stdout: '', stderr: `tar: can't open '${path}': No such file or directory\n`, code: 1 };
    const files = readConfigArchive(bytes);
    if (!files) return { stdout: '', stderr: 'tar: invalid tar magic\n', code: 1 };
    for (const [name, content] of files) {
      const target = normalize(`/${name}`);
      this.mkdir(parentOf(target));
      this.entries.set(target, { kind: 'text', content });
    }
    this.restoreCount += 1;
    return { stdout: '', stderr: '', code: 0 };
  }

  /**
   * The reboot after a flash: a new boot id, an empty /tmp, all services running, and the image's
   * release (unless `stayOnOldRelease`, a fault). Without config preservation, /etc changes go.
   */
  async applyFlash(request: FlashRequest, stayOnOldRelease: boolean): Promise<void> {
    const metadata = await parseFwtoolMetadataFromTail(request.image.size, request.image.tail);
    this.flashCount += 1;
    if (!stayOnOldRelease && metadata?.version) {
      this.release = {
        distribution: metadata.version.dist ?? this.release.distribution,
        version: metadata.version.version ?? this.release.version,
        revision: metadata.version.revision ?? this.release.revision,
        target: metadata.version.target ?? this.release.target,
      };
    }
    this.reboot();
    if (!request.keepConfig) {
      for (const key of [...this.entries.keys()]) {
        if (key.startsWith('/etc/fleetflash') || key.startsWith('/etc/openwisp')) this.entries.delete(key);
      }
    }
  }

  reboot(): void {
    this.bootId = randomUUID();
    this.processes.clear();
    for (const key of [...this.entries.keys()])
      if (key.startsWith('/tmp/') && key !== '/tmp/sysinfo') this.entries.delete(key);
    for (const service of Object.keys(SERVICES)) this.running.add(service);
    this.cacheKb = DEFAULT_CACHE_KB;
  }
}
