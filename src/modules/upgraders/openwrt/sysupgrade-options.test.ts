import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { normalizeSysupgradeOptions, sysupgradeFlags } from './sysupgrade-options.js';

function refused(input: Record<string, unknown>): AppError {
  try {
    normalizeSysupgradeOptions(input);
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  throw new Error('expected InvalidUpgradeOptions');
}

describe('sysupgrade options', () => {
  it('defaults to keeping /etc (-c)', () => {
    expect(sysupgradeFlags(normalizeSysupgradeOptions({}))).toEqual(['-c']);
  });

  it('chooses -n alone as "keep nothing" (no -c), and passes flags in a fixed order', () => {
    expect(sysupgradeFlags(normalizeSysupgradeOptions({ n: true }))).toEqual(['-n']);
    expect(sysupgradeFlags(normalizeSysupgradeOptions({ F: true, k: true, c: false, u: true }))).toEqual([
      '-u',
      '-k',
      '-F',
    ]);
    expect(sysupgradeFlags(normalizeSysupgradeOptions({ o: true }))).toEqual(['-c', '-o']);
  });

  it('treats null as "not chosen"', () => {
    expect(normalizeSysupgradeOptions({ c: null, n: null })).toMatchObject({ c: true, n: false });
  });

  it('refuses -n with -c or -o, unknown options and non-booleans, naming each', () => {
    expect(refused({ n: true, c: true }).fields).toHaveProperty('c');
    expect(refused({ n: true, o: true }).fields).toHaveProperty('o');
    const many = refused({ x: true, c: 'yes' });
    expect(many.code).toBe('InvalidUpgradeOptions');
    expect(Object.keys(many.fields ?? {}).sort()).toEqual(['c', 'x']);
  });
});
