import { spawn } from 'node:child_process';

/**
 * Runs a program with an argument array (never a shell), in its own process group so a timeout
 * stops it and everything it started. Output is kept up to a bound (the end is what matters).
 */

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CommandOptions {
  cwd: string;
  env?: Record<string, string>;
  uid?: number | undefined;
  gid?: number | undefined;
  /** Absolute time (ms since epoch) by which the command must have ended. */
  deadline: number;
  maxOutput?: number;
  signal?: AbortSignal;
}

const DEFAULT_MAX_OUTPUT = 256 * 1024;

/** The program is not installed (not found on PATH): a host requirement, not a failed command. */
export class ProgramNotFound extends Error {
  constructor(readonly program: string) {
    super(`The program "${program}" is not installed on this server (not found on PATH).`);
    this.name = 'ProgramNotFound';
  }
}

function keepTail(current: string, chunk: string, limit: number): string {
  const joined = current + chunk;
  return joined.length > limit ? joined.slice(joined.length - limit) : joined;
}

export function runCommand(program: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const limit = options.maxOutput ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.cwd, LANG: 'C' },
      uid: options.uid,
      gid: options.gid,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = keepTail(stdout, chunk, limit)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = keepTail(stderr, chunk, limit)));
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(
      () => {
        timedOut = true;
        killGroup();
      },
      Math.max(0, options.deadline - Date.now()),
    );
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error.code === 'ENOENT' ? new ProgramNotFound(program) : error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
