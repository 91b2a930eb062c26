import { expect } from 'vitest';
import { SIMULATED_BOARDS } from '../../simulator/fleet.js';

/**
 * The pull agent's protocol played by a test with fetch (form bodies in, key=value lines out), step by step,
 * as the shell agent would: for tests of what the server answers, where the script or the simulator would hide it.
 */

/** An answer's lines; a key sent on several lines (a probe's `command`) keeps them all in `all`. */
export interface AgentLines {
  status: number;
  lines: Record<string, string>;
  all: Map<string, string[]>;
}

export function parseAgentLines(text: string): { lines: Record<string, string>; all: Map<string, string[]> } {
  const lines: Record<string, string> = {};
  const all = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at);
    lines[key] = line.slice(at + 1);
    all.set(key, [...(all.get(key) ?? []), line.slice(at + 1)]);
  }
  return { lines, all };
}

export async function postForm(url: string, fields: Record<string, string>): Promise<AgentLines> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return { status: response.status, ...parseAgentLines(await response.text()) };
}

export interface RawAgentOptions {
  base: string;
  organization: string;
  secret: string;
  mac: string;
  /** What the agent says it is (1.0 knows only upgrades; 1.1.0 restores and runs probes). */
  version?: string;
  release?: string;
}

/** One router's agent, speaking the protocol one request at a time (as the shell agent would). */
export class RawAgent {
  token = '';
  deviceId = '';
  bootId = `boot-${Math.random().toString(36).slice(2)}`;
  release: string;
  /** The attempt of the job it works on (sent with its reports once set, as agents from 1.1.0 do). */
  attempt = '';
  private seq = 0;

  constructor(readonly options: RawAgentOptions) {
    this.release = options.release ?? '23.05.2';
  }

  /** Enrolls a new agent (expecting 200). */
  static async enroll(options: RawAgentOptions): Promise<RawAgent> {
    const agent = new RawAgent(options);
    const enrolled = await postForm(`${options.base}/agent/v1/enroll`, agent.enrollment());
    expect(enrolled.status, JSON.stringify(enrolled.lines)).toBe(200);
    agent.token = enrolled.lines.token!;
    agent.deviceId = enrolled.lines.device!;
    return agent;
  }

  /** The fields of its enrollment (another MAC: another device). */
  enrollment(mac = this.options.mac): Record<string, string> {
    const board = SIMULATED_BOARDS[0]!;
    return {
      organization: this.options.organization,
      secret: this.options.secret,
      mac,
      board: board.boardName,
      model: board.model,
      release: this.release,
      distribution: 'OpenWrt',
      boot_id: this.bootId,
      hostname: `raw-${mac.replace(/[^0-9a-z]/gi, '')}`.slice(0, 100),
      agent_version: this.version,
    };
  }

  get version(): string {
    return this.options.version ?? '1.1.0';
  }

  poll(operation = '', extra: Record<string, string> = {}): Promise<AgentLines> {
    return postForm(`${this.options.base}/agent/v1/poll`, {
      token: this.token,
      boot_id: this.bootId,
      release: this.release,
      agent_version: this.version,
      operation,
      ...extra,
    });
  }

  /** A report numbered after the previous one, or numbered `seq` (a repeat). */
  report(operation: string, step: string, fields: Record<string, string> = {}, seq?: number): Promise<AgentLines> {
    if (seq === undefined) this.seq += 1;
    return postForm(`${this.options.base}/agent/v1/report`, {
      token: this.token,
      operation,
      seq: String(seq ?? this.seq),
      ...(this.attempt ? { attempt: this.attempt } : {}),
      step,
      ...fields,
    });
  }

  /** Polls (at most 10 times) until the server hands something out; its lines (expecting 200 each time). */
  async nextAction(operation = '', extra: Record<string, string> = {}): Promise<Record<string, string>> {
    for (let poll = 0; poll < 10; poll += 1) {
      const answer = await this.poll(operation, extra);
      expect(answer.status, JSON.stringify(answer.lines)).toBe(200);
      if (answer.lines.action !== 'none') return answer.lines;
    }
    throw new Error('the server never answered with an action');
  }

  /**
   * Takes the upgrade job of `operation` and reports the steps up to `ready`; an agent from 1.1 keeps the job's
   * attempt for its reports (1.0 agents send none). Returns the job's lines.
   */
  async prepare(operation: string): Promise<Record<string, string>> {
    const job = await this.nextAction();
    expect(job).toMatchObject({ action: 'upgrade', operation });
    if (!this.version.startsWith('1.0')) this.attempt = job.attempt ?? '';
    for (const step of ['downloaded', 'verified', 'ready'])
      expect((await this.report(operation, step)).status).toBe(200);
    return job;
  }

  /** Polls until the server hands out `action` (each poll held at most the server's long poll). */
  async pollFor(action: string, operation = '', deadlineMs = 30_000): Promise<AgentLines> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const answer = await this.poll(operation);
      if (answer.lines.action === action) return answer;
      if (Date.now() > deadline) throw new Error(`no action=${action}: last answer ${JSON.stringify(answer.lines)}`);
    }
  }

  /**
   * Takes an upgrade job through ready, flash and a reboot into `release`: the `booted` report. With
   * `backup`, uploads it as the configuration backup the job asks for. Returns the operation id.
   */
  async upgradeTo(release: string, backup?: Buffer, revision?: string): Promise<string> {
    const job = await this.pollFor('upgrade');
    const operation = job.lines.operation!;
    this.attempt = job.lines.attempt ?? '';
    await this.report(operation, 'checked');
    if (backup && job.lines.backup !== 'off') {
      const uploaded = await fetch(job.lines.backup_url!, { method: 'POST', body: backup });
      expect(uploaded.status, await uploaded.text()).toBe(200);
      await this.report(operation, 'backup', { message: 'uploaded' });
    }
    for (const step of ['downloaded', 'verified', 'ready']) await this.report(operation, step);
    await this.pollFor('flash', operation);
    await this.report(operation, 'flashing');
    this.bootId = `boot-${Math.random().toString(36).slice(2)}`;
    this.release = release;
    await this.report(operation, 'booted', { boot_id: this.bootId, release, ...(revision ? { revision } : {}) });
    return operation;
  }
}
