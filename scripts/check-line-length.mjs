#!/usr/bin/env node
// Fails when a source line is longer than 120 characters. Biome's formatter wraps code at 120 but
// leaves long strings, template literals and comments as they are, so this check covers them.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const MAX = 120;
const ROOT = path.resolve(import.meta.dirname, '..');
const EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.mjs', '.cjs', '.css', '.html']);
// Generated (web/src/api/schema.d.ts), build output, data and frozen migrations are not checked.
const SKIPPED = new Set([
  'node_modules',
  'dist',
  'data',
  '.git',
  'migrations',
  'test/artifacts',
  'web/src/api/schema.d.ts',
]);

function* sourceFiles(directory) {
  for (const entry of readdirSync(path.join(ROOT, directory), { withFileTypes: true })) {
    const relative = directory ? `${directory}/${entry.name}` : entry.name;
    if (SKIPPED.has(relative) || entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) yield* sourceFiles(relative);
    else if (entry.isFile() && EXTENSIONS.has(path.extname(entry.name))) yield relative;
  }
}

/** Files git tracks or would track (its ignore rules leave out build output anywhere); else a walk. */
function listedFiles() {
  try {
    const output = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const skipped = (file) => [...SKIPPED].some((entry) => file === entry || file.startsWith(`${entry}/`));
    // A file in the middle of a merge is listed once per stage: once is enough.
    const files = new Set(output.split('\0'));
    return [...files]
      .filter(
        (file) => file && !skipped(file) && EXTENSIONS.has(path.extname(file)) && existsSync(path.join(ROOT, file)),
      )
      .filter((file) => !file.split('/').some((part) => part.startsWith('.')));
  } catch {
    return [...sourceFiles('')];
  }
}

const long = [];
for (const file of listedFiles()) {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  lines.forEach((line, index) => {
    const length = [...line].length;
    if (length > MAX) long.push(`${file}:${index + 1}: ${length} characters`);
  });
}
if (long.length) {
  process.stderr.write(`${long.join('\n')}\n${long.length} line(s) longer than ${MAX} characters: wrap them.\n`);
  process.exit(1);
}
