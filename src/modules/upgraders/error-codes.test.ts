import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../platform/paths.js';
import { isOperationErrorCode, OPERATION_ERROR_CODE_NAMES, toOperationErrorCode } from './error-codes.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('operation error codes', () => {
  it('keeps a code of the closed set and records any other as upgrader-error', () => {
    expect(toOperationErrorCode('board-mismatch')).toBe('board-mismatch');
    expect(toOperationErrorCode('my-own-code')).toBe('upgrader-error');
    expect(toOperationErrorCode('constructor')).toBe('upgrader-error');
  });

  it('lists every code the built-in upgraders, the example and the engine report', () => {
    const roots = ['src/modules/upgraders', 'src/modules/upgrades', 'examples'].map((dir) =>
      path.join(PROJECT_ROOT, dir),
    );
    const reported = new Set<string>();
    const patterns = [
      // \s* between the tokens: the formatter may put a call's arguments on lines of their own.
      /new (?:RecoverableFailure|UpgradeAborted|UpgradeFailed)\(\s*'([a-z-]+)'/g,
      /super\(\s*'([a-z-]+)'/g,
      /end\(\s*'(?:failed|aborted)',\s*'([a-z-]+)'/g,
    ];
    for (const file of roots.flatMap(sourceFiles)) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) for (const match of text.matchAll(pattern)) reported.add(match[1]!);
    }
    expect(reported.size).toBeGreaterThan(20);
    expect([...reported].filter((code) => !isOperationErrorCode(code))).toEqual([]);
    expect(OPERATION_ERROR_CODE_NAMES).toContain('upgrader-error');
  });
});
