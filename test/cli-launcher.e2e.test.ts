import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/platform/paths.js';

/**
 * bin/fleetflash.js (what `npx fleetflash` runs) on a checkout without dist/. Each test copies the
 * launcher into a throw-away project whose `build` script is a small stand-in for tsc + vite (the
 * real build takes a minute): what is checked is the launcher's behaviour around the build.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(options: { devDependencies: boolean; build: 'writes-dist' | 'fails' }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-launcher-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'bin'));
  copyFileSync(path.join(PROJECT_ROOT, 'bin', 'fleetflash.js'), path.join(dir, 'bin', 'fleetflash.js'));
  // The stand-in build, like the real one, removes the completion stamp first and writes it last; in
  // between it writes a main.js that prints its arguments, as the real one would run them. It notes
  // each run in builds.log and takes a moment, as a real build does, so launches can overlap.
  writeFileSync(
    path.join(dir, 'build.mjs'),
    options.build === 'fails'
      ? "console.error('error TS2304: Cannot find name'); process.exit(2);\n"
      : "import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';\n" +
          "rmSync('dist/.complete', { force: true });\nappendFileSync('builds.log', 'build\\n');\n" +
          "mkdirSync('dist/src', { recursive: true });\n" +
          // biome-ignore lint/suspicious/noTemplateCurlyInString: main.js gets this template literal
          "writeFileSync('dist/src/main.js', 'console.log(`ran ${process.argv.slice(2).join(\" \")}`);\\n');\n" +
          'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);\n' +
          "writeFileSync('dist/.complete', '');\nconsole.log('built');\n",
  );
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'launcher-check', private: true, type: 'module', scripts: { build: 'node build.mjs' } }),
  );
  if (options.devDependencies) {
    for (const name of ['typescript', 'vite']) {
      mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
      writeFileSync(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name }));
    }
  }
  return dir;
}

const launchEnv = () => ({ PATH: process.env.PATH, HOME: process.env.HOME });

/** Starts a launch without waiting for it, so several can run at once. */
function launchAsync(dir: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(dir, 'bin', 'fleetflash.js'), ...args], {
      cwd: os.tmpdir(),
      env: launchEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function launch(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(dir, 'bin', 'fleetflash.js'), ...args], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    timeout: 60_000,
    env: launchEnv(),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npx fleetflash before a build', () => {
  it("builds first when the compiler is installed, then runs the command; its stdout stays the command's", () => {
    const dir = project({ devDependencies: true, build: 'writes-dist' });
    const first = launch(dir, 'demo', '--devices', '5');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('not built yet (no complete dist/): running `npm run build` first');
    expect(first.stderr).toContain('built');
    expect(first.stdout).toBe('ran demo --devices 5\n');
    const second = launch(dir, 'migrate');
    expect(second.stderr).toBe('');
    expect(second.stdout).toBe('ran migrate\n');
  });

  it('says what to run, without a stack trace, when the compiler is not installed', () => {
    const dir = project({ devDependencies: false, build: 'writes-dist' });
    const result = launch(dir, 'demo');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `fleetflash: not built yet, and the compiler is not installed: run \`npm ci && npm run build\` in ${dir}, ` +
        `then try again.\n`,
    );
    expect(existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  it("stops with the build's own errors and what to do when the build fails", () => {
    const dir = project({ devDependencies: true, build: 'fails' });
    const result = launch(dir, 'demo');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error TS2304');
    expect(result.stderr).toContain(
      `fleetflash: the build failed (see above); fix it, run \`npm run build\` in ${dir}, then try again.`,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });

  it('rebuilds a half build (dist/ without the completion stamp) instead of running it', () => {
    const dir = project({ devDependencies: true, build: 'writes-dist' });
    // tsc finished, vite did not: main.js is there, the stamp is not.
    mkdirSync(path.join(dir, 'dist', 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'dist', 'src', 'main.js'), "console.log('half build ran');\n");
    const result = launch(dir, 'migrate');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('running `npm run build` first');
    expect(result.stdout).toBe('ran migrate\n');
    expect(readFileSync(path.join(dir, 'builds.log'), 'utf8')).toBe('build\n');
  });

  it('builds once when two launches start at the same moment; both run the finished build', async () => {
    const dir = project({ devDependencies: true, build: 'writes-dist' });
    const [first, second] = await Promise.all([launchAsync(dir, 'migrate'), launchAsync(dir, 'demo')]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(first.stdout).toBe('ran migrate\n');
    expect(second.stdout).toBe('ran demo\n');
    expect(readFileSync(path.join(dir, 'builds.log'), 'utf8')).toBe('build\n');
    // The lock is gone with the launches.
    expect(existsSync(path.join(dir, '.fleetflash-build.lock'))).toBe(false);
  });
});
