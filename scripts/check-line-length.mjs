#!/usr/bin/env node
// Fails when a source line is longer than 120 characters. Biome's formatter wraps code at 120 but
// leaves long strings, template literals and comments as they are, so this check covers them.
import { readdirSync, readFileSync } from 'node:fs';
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

const long = [];
for (const file of sourceFiles('')) {
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
