import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBuildPackageRules, loadBuildPackageRules } from './build-package-rules.js';
import { packageChangesFor, removalsAt, renameSuggestions } from './openwrt-catalog.js';

// The cases of ASU's tests/test_package_changes.py, against build-package-rules.json.
describe('server-side package changes (build-package-rules.json)', () => {
  const ath79 = { target: 'ath79/generic', profile: 'buffalo_wzr-hp-g300nh-s' };

  it('adds a per-profile switch driver on 23.05, once', () => {
    expect(applyBuildPackageRules(['kmod-ath9k-htc'], { ...ath79, version: '23.05' })).toEqual([
      'kmod-ath9k-htc',
      'kmod-switch-rtl8366s',
    ]);
    expect(
      applyBuildPackageRules(['kmod-ath9k-htc', 'kmod-switch-rtl8366s'], { ...ath79, version: '23.05.5' }),
    ).toEqual(['kmod-ath9k-htc', 'kmod-switch-rtl8366s']);
    expect(applyBuildPackageRules(['kmod-ath9k-htc'], { ...ath79, version: '21.02.0-rc1' })).toEqual([
      'kmod-ath9k-htc',
    ]);
  });

  it('adds per-target packages: kmod-mt7622-firmware on 23.05, fitblk on 24.10', () => {
    const mt7622 = { target: 'mediatek/mt7622', profile: 'foobar' };
    expect(applyBuildPackageRules(['ubus'], { ...mt7622, version: '23.05' })).toEqual(['ubus', 'kmod-mt7622-firmware']);
    expect(applyBuildPackageRules(['ubus'], { ...mt7622, version: '24.10.2' })).toEqual(['ubus', 'fitblk']);
    expect(applyBuildPackageRules(['luci'], { version: '24.10.0', target: 'mediatek/filogic', profile: 'x' })).toEqual([
      'luci',
      'fitblk',
    ]);
  });

  it('replaces auc by owut on 24.10 only, and drops conntrack6 on SNAPSHOT', () => {
    expect(applyBuildPackageRules(['auc', 'luci'], { ...ath79, version: '24.10.1' })).toEqual(['luci', 'owut']);
    expect(
      applyBuildPackageRules(['auc', 'luci'], { version: '23.05.5', target: 'x86/64', profile: 'generic' }),
    ).toEqual(['auc', 'luci']);
    expect(
      applyBuildPackageRules(['a', 'b', 'kmod-nf-conntrack', 'c', 'kmod-nf-conntrack6', 'd', 'e'], {
        ...ath79,
        version: 'SNAPSHOT',
      }),
    ).toEqual(['a', 'b', 'kmod-nf-conntrack', 'c', 'd', 'e']);
  });

  it('renames language packs from 24.10 on (snapshots too) and drops -en translations everywhere', () => {
    const packages = [
      'luci-i18n-english-en',
      'luci-i18n-opkg-ko',
      'luci-i18n-xinetd-lt',
      'luci-i18n-opkg-en',
      'luci-i18n-opkg-zh-cn',
    ];
    const mt7622 = { target: 'mediatek/mt7622', profile: 'foobar' };
    const on2305 = applyBuildPackageRules(packages, { ...mt7622, version: '23.05.5' });
    expect(on2305).toEqual([
      'luci-i18n-opkg-ko',
      'luci-i18n-xinetd-lt',
      'luci-i18n-opkg-zh-cn',
      'kmod-mt7622-firmware',
    ]);
    expect(applyBuildPackageRules(on2305, { ...mt7622, version: '24.10.0-rc5' })).toEqual([
      'luci-i18n-package-manager-ko',
      'luci-i18n-xinetd-lt',
      'luci-i18n-package-manager-zh-cn',
      'kmod-mt7622-firmware',
      'fitblk',
    ]);
    expect(applyBuildPackageRules(['luci-i18n-opkg-de'], { ...ath79, version: 'SNAPSHOT' })).toEqual([
      'luci-i18n-package-manager-de',
    ]);
  });

  it('refuses a malformed rules file, naming the place', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rules-'));
    try {
      const file = path.join(dir, 'rules.json');
      writeFileSync(file, JSON.stringify({ rules: [{ when: { version_prefx: '23.05' }, add: ['x'] }] }));
      expect(() => loadBuildPackageRules(file)).toThrow(/rules\.json: \/rules\/0\/when/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('package-changes.json as ASU serves it and as owut and auc read it', () => {
  it('serves per branch the entries up to its branch-off revision, with the fields and order of ASU', () => {
    expect(packageChangesFor('22.03')).toEqual([{ source: 'firewall', target: 'firewall4', revision: 18611 }]);
    expect(packageChangesFor('23.05')).toEqual([
      { source: 'firewall', target: 'firewall4', revision: 18611 },
      { source: 'kmod-nft-nat6', revision: 20282, mandatory: true },
      { source: 'libustream-wolfssl', target: 'libustream-mbedtls', revision: 21994 },
      { source: 'px5g-wolfssl', target: 'px5g-mbedtls', revision: 21994 },
      { source: 'wpad-basic-wolfssl', target: 'wpad-basic-mbedtls', revision: 21994 },
    ]);
    expect(packageChangesFor('24.10').map((change) => change.source)).toEqual([
      'firewall',
      'kmod-nft-nat6',
      'libustream-wolfssl',
      'px5g-wolfssl',
      'wpad-basic-wolfssl',
      'luci-app-diag-core',
      'auc',
      'luci-app-opkg',
    ]);
    expect(packageChangesFor('SNAPSHOT')).toHaveLength(9);
    // Every entry names the package it is about as its source: a target alone would mean "add it".
    for (const change of packageChangesFor('SNAPSHOT')) expect(change.source).toBeTruthy();
  });

  it('reads a source without a target as a removal, from its revision on', () => {
    expect(removalsAt(['kmod-nft-nat6', 'firewall'], 'r23809-234f1a2efa')).toEqual({ 'kmod-nft-nat6': 20282 });
    expect(removalsAt(['kmod-nft-nat6'], 'r20134-5f15225c1e')).toEqual({});
    expect(renameSuggestions(['kmod-nft-nat6', 'luci-app-diag-core'], 'r30000-abc')).toEqual({});
  });
});
