import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

/** Runs the real `fleetflash` entry point (TypeScript through tsx) as a separate process. */

const ENTRY = path.join(PROJECT_ROOT, 'src', 'main.ts');

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // Only what the child needs: a DATABASE_URL leaking from the parent must not redirect it.
  // Simulated routers listen on 127.0.0.1, so loopback device addresses are allowed unless a test says otherwise.
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'true',
    ...env,
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      cwd: PROJECT_ROOT,
      env: childEnv(env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fleetflash ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then wait for the exit; returns the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `fleetflash <role>` and resolves once it prints its URL (a worker: that it started). */
export function startServer(env: Record<string, string>, role = 'serve', timeoutMs = 60_000): Promise<ServerProcess> {
  const ready = role === 'worker' ? /worker started \(([^)]+)\)/ : /is running at (http:\/\/[^\s/]+)\//;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, role], {
      cwd: PROJECT_ROOT,
      env: childEnv({ HOST: '127.0.0.1', PORT: '0', ...env }),
    });
    let output = '';
    let started = false;
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fleetflash ${role} did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = ready.exec(output);
      if (match && !started) {
        started = true;
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          child,
          output: () => output,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      if (!started) {
        clearTimeout(timer);
        reject(new Error(`fleetflash ${role} exited with ${code} before starting:\n${output}`));
      }
    });
  });
}
