#!/usr/bin/env node
// Launcher of `npx fleetflash …`: runs the build `npm run build` makes (dist/). On a fresh checkout
// there is none yet; rather than a stack trace about a missing module, build it first when the
// compiler is installed (npm ci installs it), else say what to run.
//
// A build is complete only when `dist/.complete` exists: the build script writes it as its very last
// step (and removes it first), so a half build (tsc done, vite failed or interrupted) is rebuilt
// rather than run without its UI. Launches at the same moment take a lock file so only one builds;
// the others wait for it and then run its build.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entry = path.join(root, 'dist', 'src', 'main.js');
const stamp = path.join(root, 'dist', '.complete');
const lockFile = path.join(root, '.fleetflash-build.lock');
// A real build takes a minute or two on a slow machine; a launch waits this long for another's.
const LOCK_WAIT_MS = 10 * 60_000;
const POLL_MS = 200;

function fail(message) {
  process.stderr.write(`fleetflash: ${message}\n`);
  process.exit(1);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** A lock left by a launcher that died mid-build (its pid no longer runs) is taken over. */
function lockIsStale() {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    // An empty file: its owner is between creating and writing it, unless that was long ago.
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - statSync(lockFile).mtimeMs > 60_000;
    return !isAlive(pid);
  } catch {
    return false; // gone meanwhile: the next attempt takes it
  }
}

let lockHeld = false;
function releaseLock() {
  if (lockHeld) rmSync(lockFile, { force: true });
  lockHeld = false;
}
// Released however this launch ends (fail() exits without running finally blocks).
process.once('exit', releaseLock);

async function takeLock() {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      lockHeld = true;
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') fail(`could not create ${lockFile} (${error.message}).`);
    }
    if (lockIsStale()) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      fail(`another launch has been building for too long; if none runs, remove ${lockFile} and try again.`);
    if (!told) process.stderr.write('fleetflash: another launch is building; waiting for it…\n');
    told = true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

if (!existsSync(stamp)) {
  const canBuild = ['typescript', 'vite'].every((name) =>
    existsSync(path.join(root, 'node_modules', name, 'package.json')),
  );
  if (!canBuild)
    fail(
      `not built yet, and the compiler is not installed: run \`npm ci && npm run build\` in ${root}, then try again.`,
    );
  await takeLock();
  // Whoever held the lock before us may have just finished the build.
  if (!existsSync(stamp)) {
    process.stderr.write('fleetflash: not built yet (no complete dist/): running `npm run build` first…\n');
    // The build's output goes to stderr: the command's stdout (a token, a password) stays clean for scripts.
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
    if (build.error)
      fail(`could not run npm (${build.error.message}): run \`npm run build\` in ${root}, then try again.`);
    if (build.status !== 0 || !existsSync(stamp))
      fail(`the build failed (see above); fix it, run \`npm run build\` in ${root}, then try again.`);
  }
  releaseLock();
}

await import(pathToFileURL(entry).href);
