import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

/**
 * `fleetflash demo` as a newcomer runs it: a real process (its own embedded database and simulated
 * fleet) on a free port, read from what it prints.
 */
export interface DemoProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Where it serves, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** The admin's password it printed. */
  password: string;
  /** The API token it printed. */
  token: string;
  /** Ends the process and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts `fleetflash demo <args>` and waits until it printed its walk-through (at most 90 s); `env` adds
 * settings (e.g. FLEETFLASH_WEB_DIR, the web UI it serves).
 */
export async function startDemo(args: string[], env: Record<string, string> = {}): Promise<DemoProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'main.ts'), 'demo', ...args],
    {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    },
  );
  let output = '';
  child.stdout.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('close', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 90_000;
  while (!output.includes('Everything is thrown away')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`demo did not get ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    output: () => output,
    origin: /(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1]!,
    password: /Log in as "admin" with password (\S+) /.exec(output)![1]!,
    token: /Bearer (fft_[\w-]+)/.exec(output)![1]!,
    stop,
  };
}
