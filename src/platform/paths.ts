import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root (the folder holding package.json), found by walking up from this file, so the
 * same code finds `migrations/` and data files whether it runs from `src/` (tests) or `dist/src/`.
 */
function findProjectRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(folder, 'package.json')) && existsSync(path.join(folder, 'migrations'))) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error('cannot find the fleetflash project root (package.json beside migrations/)');
    folder = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot();
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');
