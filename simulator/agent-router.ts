import { setTimeout as sleep } from 'node:timers/promises';
import { ActionFailed, type AgentActionHost, runProbe, runRestore } from './agent-actions.js';
import { AgentHttp } from './agent-http.js';
import { describeRelease, type FlashRequest, RouterState, type RouterSpec } from './router-state.js';
import type { Faults, RouterDescription } from './router.js';

/**
 * A simulated OpenWrt router in pull mode: no SSH server, only the fleetflash agent's protocol
 * (docs/agent-protocol.md) spoken in-process over real HTTP to a running fleetflash. It enrolls, long-polls,
 * and runs jobs as the shell agent does (memory check, backup upload, download with Range resume, checksum,
 * `sysupgrade -T`, wait for `action=flash`, flash, reboot, `booted` report), on the same `RouterState` as the
 * SSH routers, so faults mean the same in both modes.
 */

export interface AgentServer {
  url: string;
  organization: string;
  secret: string;
}

export interface AgentRouterOptions extends RouterSpec {
  server: AgentServer;
  rebootMs?: number;
  faults?: Faults;
  /** Jitter of polls and retries (0–1 of the wait); tests set 0. */
  jitter?: number;
  /** The HTTP client (a fleet shares one, and closes it when it stops); by default the router's own. */
  http?: AgentHttp;
  /**
   * Start polling at a random moment of the first interval, as a fleet whose routers booted at different times
   * does (benchmarks: not the whole fleet in the same second).
   */
  spreadFirstPoll?: boolean;
  /** Called after every answered poll with its round trip (ms) and action (benchmarks measure with it). */
  onPoll?: (router: SimulatedAgentRouter, milliseconds: number, action: string) => void;
  onLog?: (message: string) => void;
}

export const SIMULATED_AGENT_VERSION = '1.1.0-sim';

/** A key=value answer of the agent protocol. */
export type AgentAnswer = Map<string, string>;

export function parseAgentAnswer(text: string): AgentAnswer {
  const answer = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) answer.set(line.slice(0, at), line.slice(at + 1).replace(/\r$/, ''));
  }
  return answer;
}

/** The agent protocol's failure, as the agent reports it (`failed code=…`). */
class JobFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

class JobCancelled extends Error {}

interface Job {
  operation: string;
  imageUrl: string;
  sha256: string;
  size: number;
  flags: string[];
  backup: string;
  backupUrl: string;
}

const IMAGE_PATH = '/tmp/fleetflash-image.bin';
const BACKUP_PATH = '/tmp/fleetflash-backup.tar.gz';

export class SimulatedAgentRouter implements AgentActionHost {
  readonly state: RouterState;
  faults: Faults;
  /** Polls answered so far (any answer). */
  polls = 0;
  /** Image bytes received so far (all downloads, resumed ones included). */
  bytesReceived = 0;
  /** Requests of the image that asked for a Range (resumed downloads). */
  rangeRequests = 0;
  token: string | null = null;
  deviceId: string | null = null;
  private stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private rebooting = false;
  /** The operation a flash is running for: reported `booted` after the reboot. */
  private flashedFor: string | null = null;
  private readonly seq = new Map<string, number>();
  /** The attempt of each operation's job (`attempt=` of its answer), sent with its reports. */
  private readonly attempts = new Map<string, string>();
  private pollIntervalMs = 60_000;
  private longPollSeconds = 55;
  private cutsLeft: number;
  readonly http: AgentHttp;
  private readonly ownHttp: boolean;

  constructor(private readonly options: AgentRouterOptions) {
    this.state = new RouterState(options);
    this.ownHttp = options.http === undefined;
    this.http = options.http ?? new AgentHttp();
    this.faults = { ...options.faults };
    this.cutsLeft = this.faults.transferCutAt === undefined ? 0 : (this.faults.transferCutTimes ?? 1);
    if (this.faults.boardMismatch) this.state.reportedBoard = this.faults.boardMismatch;
    this.state.onFlash = (request) => this.flash(request);
  }

  get name(): string {
    return this.options.name;
  }

  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  get flashCount(): number {
    return this.state.flashCount;
  }

  describe(): RouterDescription {
    return {
      name: this.options.name,
      mac_address: this.options.macAddress,
      host: '',
      port: 0,
      board_name: this.state.reportedBoard,
      model: this.options.model,
      os: describeRelease(this.state.release),
      username: '',
      password: '',
      faults: this.faults,
      flash_count: this.state.flashCount,
      release: describeRelease(this.state.release),
    };
  }

  /** Enrolls (once) and starts the poll loop. */
  async start(): Promise<void> {
    this.stopping = new AbortController();
    if (!this.token) await this.enroll();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.loop = null;
    if (this.ownHttp) this.http.close();
  }

  async enroll(): Promise<void> {
    const answer = await this.post('/agent/v1/enroll', {
      organization: this.options.server.organization,
      secret: this.options.server.secret,
      mac: this.options.macAddress,
      board: this.state.reportedBoard,
      model: this.options.model,
      release: this.state.release.version,
      revision: this.state.release.revision,
      distribution: this.state.release.distribution,
      boot_id: this.state.bootId,
      hostname: this.options.name,
      agent_version: SIMULATED_AGENT_VERSION,
    });
    this.token = answer.get('token') ?? null;
    this.deviceId = answer.get('device') ?? null;
    this.readTiming(answer);
    if (!this.token) throw new Error(`${this.name}: enrollment answered no token`);
  }

  private readTiming(answer: AgentAnswer): void {
    const interval = Number(answer.get('poll_interval'));
    if (Number.isFinite(interval) && interval > 0) this.pollIntervalMs = interval * 1000;
    const longPoll = Number(answer.get('long_poll'));
    if (Number.isFinite(longPoll) && longPoll >= 0) this.longPollSeconds = longPoll;
  }

  private jittered(ms: number): number {
    const jitter = this.options.jitter ?? 0.1;
    return Math.max(0, ms * (1 + (Math.random() * 2 - 1) * jitter));
  }

  private async run(): Promise<void> {
    let failures = 0;
    let operation = '';
    if (this.options.spreadFirstPoll)
      await sleep(Math.random() * this.pollIntervalMs, undefined, { signal: this.stopping.signal }).catch(() => {});
    while (!this.stopping.signal.aborted) {
      if (this.rebooting) {
        await sleep(50, undefined, { signal: this.stopping.signal }).catch(() => {});
        continue;
      }
      const started = Date.now();
      try {
        if (this.flashedFor) {
          // The first report after the reboot: proof of boot is the server's to judge.
          const flashed = this.flashedFor;
          const { version, revision } = this.state.release;
          await this.report(flashed, 'booted', { boot_id: this.state.bootId, release: version, revision });
          this.flashedFor = null;
        }
        const answer = await this.poll(operation);
        failures = 0;
        operation = await this.act(answer);
        // After a job or a probe the agent polls again at once, as the shell agent does.
        if (answer.get('action') !== 'none' && !this.rebooting) continue;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        failures += 1;
        this.options.onLog?.(`${this.name}: ${(error as Error).message}`);
        const backoff = Math.min(60_000, 500 * 2 ** Math.min(failures, 7));
        await sleep(this.jittered(backoff), undefined, { signal: this.stopping.signal }).catch(() => {});
        continue;
      }
      // A flash rebooted the router: the agent starts again with the boot, it does not sleep out its interval.
      if (this.rebooting) continue;
      // The next poll starts an interval after this one started; after a poll the server held for its whole
      // long poll, at once (0–3 s of jitter), so the agent is listening almost all the time.
      const elapsed = Date.now() - started;
      const held = this.longPollSeconds > 0 && elapsed >= this.longPollSeconds * 1000 - 500;
      const wait = held
        ? Math.random() * 3000 * Math.min(1, (this.options.jitter ?? 0.1) * 10)
        : this.jittered(this.pollIntervalMs - elapsed);
      if (wait > 0) await sleep(wait, undefined, { signal: this.stopping.signal }).catch(() => {});
    }
  }

  /** One poll; `phase` says where the job of `operation` is (ready: waiting for flash), as the script does. */
  async poll(operation: string, phase = ''): Promise<AgentAnswer> {
    const started = performance.now();
    const answer = await this.post('/agent/v1/poll', {
      token: this.token ?? '',
      boot_id: this.state.bootId,
      release: this.state.release.version,
      agent_version: SIMULATED_AGENT_VERSION,
      operation,
      ...(operation && phase ? { phase } : {}),
      long_poll: String(this.longPollSeconds),
    });
    this.polls += 1;
    this.options.onPoll?.(this, performance.now() - started, answer.get('action') ?? '');
    const token = answer.get('token');
    if (token) this.token = token;
    this.readTiming(answer);
    return answer;
  }

  /** Handles one poll answer; returns the operation the agent works on afterwards ('' for none). */
  private async act(answer: AgentAnswer): Promise<string> {
    const action = answer.get('action');
    const attempt = answer.get('attempt');
    if (attempt && answer.get('operation')) this.attempts.set(answer.get('operation')!, attempt);
    if (action === 'probe') await runProbe(this, answer);
    if (action === 'restore') return this.restore(answer);
    if (action !== 'upgrade') return '';
    const job = readJob(answer);
    try {
      await this.runJob(job);
    } catch (error) {
      if (error instanceof JobCancelled) {
        this.state.remove(IMAGE_PATH, false);
        return '';
      }
      if (error instanceof JobFailed) {
        this.state.remove(IMAGE_PATH, false);
        await this.report(job.operation, 'failed', { code: error.code, message: error.message });
        return '';
      }
      throw error;
    }
    return this.flashedFor ? job.operation : '';
  }

  /** A configuration restore (agent-actions.ts); returns the operation while the router reboots for it. */
  private async restore(answer: AgentAnswer): Promise<string> {
    const operation = answer.get('operation') ?? '';
    try {
      return (await runRestore(this, answer)) ? operation : '';
    } catch (error) {
      if (error instanceof JobCancelled) return '';
      if (!(error instanceof ActionFailed)) throw error;
      await this.report(operation, 'failed', { code: error.code, message: error.message });
      return '';
    }
  }

  rebootFor(operation: string): void {
    this.flashedFor = operation;
    this.rebooting = true;
    setTimeout(() => {
      this.state.reboot();
      this.rebooting = false;
    }, this.options.rebootMs ?? 3000);
  }

  private async runJob(job: Job): Promise<void> {
    const room = this.state.memAvailableKb * 1024;
    if (job.size + 4 * 1024 * 1024 > room || Math.ceil(job.size / 1024) > this.state.tmpSizeKb)
      throw new JobFailed('insufficient-memory', `Only ${Math.floor(room / 1024)} KiB available for the image.`);
    await this.report(job.operation, 'checked', { message: `${Math.floor(room / 1024)} KiB available` });
    if (job.backup !== 'off') await this.backUp(job);
    const size = await this.download(job);
    await this.report(job.operation, 'downloaded', {});
    const sum = await this.state.command('sha256sum', [IMAGE_PATH], '');
    const actual = sum?.stdout.split(/\s/)[0] ?? '';
    if (actual !== job.sha256 || size !== job.size)
      throw new JobFailed('checksum-mismatch', `The image has ${size} bytes and sha256 ${actual}, not the job's.`);
    const test = await this.state.command('sysupgrade', ['-T', ...job.flags.filter((f) => f === '-F'), IMAGE_PATH], '');
    if (test?.code !== 0) throw new JobFailed('image-rejected', (test?.stderr ?? '').trim().slice(0, 1000));
    await this.report(job.operation, 'verified', {});
    await this.report(job.operation, 'ready', {});
    for (;;) {
      const answer = await this.poll(job.operation, 'ready');
      const action = answer.get('action');
      if (action === 'flash' && answer.get('operation') === job.operation) break;
      if (action === 'cancel') throw new JobCancelled();
    }
    await this.report(job.operation, 'flashing', {});
    this.flashedFor = job.operation;
    const flash = await this.state.command('sysupgrade', [...job.flags, IMAGE_PATH], '');
    if (flash?.code !== 0) {
      this.flashedFor = null;
      throw new JobFailed('flash-refused', (flash?.stderr ?? '').trim().slice(0, 1000));
    }
  }

  private async backUp(job: Job): Promise<void> {
    const made = await this.state.command('sysupgrade', ['-b', BACKUP_PATH], '');
    const archive = made?.code === 0 && !this.faults.backupFails ? this.state.readBinary(BACKUP_PATH) : null;
    if (!archive) {
      if (job.backup === 'required') throw new JobFailed('backup-failed', 'sysupgrade -b failed.');
      await this.report(job.operation, 'backup', { message: 'sysupgrade -b failed; going on without a backup.' });
      return;
    }
    const response = await this.http.text(job.backupUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: archive,
      signal: this.stopping.signal,
    });
    this.state.remove(BACKUP_PATH, false);
    if (response.status !== 200) {
      const detail = parseAgentAnswer(response.text).get('detail') ?? `HTTP ${response.status}`;
      if (job.backup === 'required') throw new JobFailed('backup-failed', `The backup upload failed: ${detail}`);
      await this.report(job.operation, 'backup', { message: `The backup upload failed (${detail}); going on.` });
      return;
    }
    await this.report(job.operation, 'backup', { message: `Backup of ${archive.length} bytes uploaded.` });
  }

  /** Downloads the image, resuming with Range after a cut (at most a few attempts); returns the bytes received. */
  private async download(job: Job): Promise<number> {
    const upload = this.state.beginUpload(IMAGE_PATH);
    let received = 0;
    for (let attempt = 1; received < job.size; attempt += 1) {
      if (attempt > 5) {
        upload.abort();
        throw new JobFailed('transfer-interrupted', `The download stopped at ${received} of ${job.size} bytes.`);
      }
      const headers: Record<string, string> = received > 0 ? { range: `bytes=${received}-` } : {};
      if (received > 0) this.rangeRequests += 1;
      try {
        const response = await this.http.request(job.imageUrl, {
          method: 'GET',
          headers,
          signal: this.stopping.signal,
        });
        if (response.statusCode !== 200 && response.statusCode !== 206) {
          response.destroy();
          if (response.statusCode === 404) throw new JobCancelled();
          throw new Error(`HTTP ${response.statusCode}`);
        }
        for await (const chunk of response) {
          let bytes = chunk as Buffer;
          const cutAt = this.faults.transferCutAt;
          if (cutAt !== undefined && this.cutsLeft > 0 && received + bytes.length > cutAt) {
            this.cutsLeft -= 1;
            bytes = bytes.subarray(0, Math.max(0, cutAt - received));
            const error = upload.write(bytes);
            if (error) throw new JobFailed('insufficient-memory', error);
            received += bytes.length;
            throw new Error('connection cut (fault transfer-cut)');
          }
          const error = upload.write(bytes);
          if (error) throw new JobFailed('insufficient-memory', error);
          received += bytes.length;
          this.bytesReceived += bytes.length;
          if (this.faults.slowLinkBytesPerSecond)
            await sleep((bytes.length / this.faults.slowLinkBytesPerSecond) * 1000);
        }
      } catch (error) {
        if (error instanceof JobFailed || error instanceof JobCancelled || this.stopping.signal.aborted) {
          upload.abort();
          throw error;
        }
        await this.report(job.operation, 'log', { message: `Download cut at ${received} bytes; resuming.` });
      }
      await this.report(job.operation, 'downloading', { bytes: String(received) });
    }
    upload.end();
    return received;
  }

  /** sysupgrade commenced: the agent goes away, the router reboots and comes back (or not) per the faults. */
  private flash(request: FlashRequest): void {
    this.rebooting = true;
    if (this.faults.neverReturns) return;
    setTimeout(() => {
      void this.state.applyFlash(request, this.faults.returnsOldRelease === true).then(() => {
        this.rebooting = false;
      });
    }, this.options.rebootMs ?? 3000);
  }

  async report(operation: string, step: string, fields: Record<string, string>): Promise<AgentAnswer> {
    const seq = (this.seq.get(operation) ?? 0) + 1;
    this.seq.set(operation, seq);
    const answer = await this.post('/agent/v1/report', {
      token: this.token ?? '',
      operation,
      seq: String(seq),
      ...(this.attempts.has(operation) ? { attempt: this.attempts.get(operation)! } : {}),
      step,
      ...fields,
    });
    if (answer.get('action') === 'cancel' && step !== 'flashing' && step !== 'booted') throw new JobCancelled();
    return answer;
  }

  private async post(path: string, fields: Record<string, string>): Promise<AgentAnswer> {
    const { status, text } = await this.http.text(`${this.options.server.url.replace(/\/$/, '')}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      signal: this.stopping.signal,
    });
    if (status !== 200) {
      const detail = parseAgentAnswer(text).get('detail') ?? text.slice(0, 200);
      throw new Error(`${path} answered ${status}: ${detail}`);
    }
    return parseAgentAnswer(text);
  }
}

function readJob(answer: AgentAnswer): Job {
  const flags = (answer.get('flags') ?? '').split(' ').filter((flag) => flag !== '');
  if (flags.some((flag) => !/^-[A-Za-z]$/.test(flag))) throw new Error(`refused flags "${answer.get('flags')}"`);
  return {
    operation: answer.get('operation') ?? '',
    imageUrl: answer.get('image_url') ?? '',
    sha256: answer.get('sha256') ?? '',
    size: Number(answer.get('size') ?? 0),
    flags,
    backup: answer.get('backup') ?? 'off',
    backupUrl: answer.get('backup_url') ?? '',
  };
}
