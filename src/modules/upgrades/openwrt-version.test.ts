import { describe, expect, it } from 'vitest';
import { compareOpenWrtVersions, findOpenWrtVersion, isDowngrade, parseOpenWrtVersion } from './openwrt-version.js';

const downgrade = (from: string, to: string) => isDowngrade(findOpenWrtVersion(from), findOpenWrtVersion(to));

describe('OpenWrt version order', () => {
  it('orders point releases, release candidates and branch snapshots', () => {
    expect(downgrade('23.05.3', '23.05.2')).toBe(true);
    expect(downgrade('23.05.2', '23.05.3')).toBe(false);
    expect(downgrade('24.10.0', '23.05.5')).toBe(true);
    expect(downgrade('23.05.0', '23.05.0-rc1')).toBe(true);
    expect(downgrade('23.05.0-rc2', '23.05.0-rc1')).toBe(true);
    expect(downgrade('23.05.0-rc1', '23.05.0')).toBe(false);
    expect(downgrade('23.05-SNAPSHOT', '23.05.5')).toBe(true);
    expect(downgrade('23.05-SNAPSHOT', '24.10.0')).toBe(false);
  });

  it('treats the same release, the main SNAPSHOT and unknown text as no downgrade', () => {
    expect(downgrade('23.05.3', '23.05.3-2')).toBe(false);
    expect(downgrade('SNAPSHOT', '23.05.3')).toBe(false);
    expect(downgrade('23.05.3', 'SNAPSHOT')).toBe(false);
    expect(downgrade('custom', '23.05.3')).toBe(false);
    expect(parseOpenWrtVersion('SNAPSHOT')).toBeNull();
  });

  it('compares a branch snapshot with itself as the same release (never NaN)', () => {
    const snapshot = parseOpenWrtVersion('23.05-SNAPSHOT')!;
    expect(compareOpenWrtVersions(snapshot, parseOpenWrtVersion('23.05-SNAPSHOT')!)).toBe(0);
    expect(compareOpenWrtVersions(snapshot, parseOpenWrtVersion('24.10-SNAPSHOT')!)).toBe(-1);
    expect(compareOpenWrtVersions(parseOpenWrtVersion('24.10-SNAPSHOT')!, snapshot)).toBe(1);
    expect(compareOpenWrtVersions(snapshot, parseOpenWrtVersion('23.05.5')!)).toBe(1);
    expect(compareOpenWrtVersions(parseOpenWrtVersion('23.05.5')!, snapshot)).toBe(-1);
  });

  it('finds the version in an OS string', () => {
    expect(findOpenWrtVersion('OpenWrt 23.05.3 r23809-234f1a2efa')).toMatchObject({ numbers: [23, 5, 3], rc: null });
    expect(findOpenWrtVersion('OpenWrt 23.05.0-rc1 r23069-e2b2f5cf4e')).toMatchObject({ rc: 1 });
  });
});
