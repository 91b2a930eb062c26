import { describe, expect, it } from 'vitest';
import { buildHardwareTable, deriveImageType, loadBuiltinHardwareTable } from './hardware-table.js';

describe('hardware table', () => {
  const builtin = loadBuiltinHardwareTable();

  it('ships at least 40 devices, each with a label and a list of board names', () => {
    const entries = Object.entries(builtin);
    expect(entries.length).toBeGreaterThanOrEqual(40);
    for (const [type, entry] of entries) {
      expect(type).toMatch(/^[a-z0-9][a-z0-9._,+-]+$/);
      expect(entry.label.length).toBeGreaterThan(0);
      expect(Array.isArray(entry.boards)).toBe(true);
      expect(entry.boards.length).toBeGreaterThan(0);
      for (const board of entry.boards) expect(typeof board).toBe('string');
    }
  });

  it('lets custom images add and override entries', () => {
    const table = buildHardwareTable([
      { type: 'customimage-squashfs-sysupgrade.bin', label: 'Custom WAP-1200', boards: ['CWAP1200'] },
      { type: 'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin', label: 'Overridden', boards: ['x,y'] },
    ]);
    expect(table.get('customimage-squashfs-sysupgrade.bin')).toEqual({
      label: 'Custom WAP-1200',
      boards: ['CWAP1200'],
    });
    expect(table.get('ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin')?.label).toBe('Overridden');
  });

  describe('image type from the file name', () => {
    const table = buildHardwareTable([]);
    it.each([
      [
        'openwrt-23.05.3-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
        'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
      ],
      [
        'openwrt-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
        'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
      ],
      [
        'openwrt-23.05-SNAPSHOT-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
        'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
      ],
      [
        'openwrt-24.10.0-rc2-myextra-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
        'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
      ],
      [
        'openwrt-23.05.3-ramips-mt7621-unknownvendor_box-squashfs-sysupgrade.bin',
        'ramips-mt7621-unknownvendor_box-squashfs-sysupgrade.bin',
      ],
      ['customimage-squashfs-sysupgrade.bin', 'customimage-squashfs-sysupgrade.bin'],
    ])('%s → %s', (fileName, type) => {
      expect(deriveImageType(fileName, table)).toBe(type);
    });
  });
});
