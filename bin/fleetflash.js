#!/usr/bin/env node
// Launcher of `npx fleetflash …`: runs the build `npm run build` makes (dist/). On a fresh checkout
// there is none yet; rather than a stack trace about a missing module, build it first when the
// compiler is installed (npm ci installs it), else say what to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entry = path.join(root, 'dist', 'src', 'main.js');

function fail(message) {
  process.stderr.write(`fleetflash: ${message}\n`);
  process.exit(1);
}

if (!existsSync(entry)) {
  const canBuild = ['typescript', 'vite'].every((name) => existsSync(path.join(root, 'node_modules', name, 'package.json')));
  if (!canBuild) fail(`not built yet, and the compiler is not installed: run \`npm ci && npm run build\` in ${root}, then try again.`);
  process.stderr.write('fleetflash: not built yet (no dist/): running `npm run build` first…\n');
  // The build's output goes to stderr: the command's stdout (a token, a password) stays clean for scripts.
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.error) fail(`could not run npm (${build.error.message}): run \`npm run build\` in ${root}, then try again.`);
  if (build.status !== 0 || !existsSync(entry)) fail(`the build failed (see above); fix it, run \`npm run build\` in ${root}, then try again.`);
}

await import(pathToFileURL(entry).href);
