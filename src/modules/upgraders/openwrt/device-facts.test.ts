import { describe, expect, it } from 'vitest';
import { parseBoardInfo, parseDfAvailableKb, parseMemAvailableKb, parseReleaseFile } from './device-facts.js';

describe('OpenWrt facts', () => {
  it('reads ubus call system board', () => {
    const output = JSON.stringify({
      model: 'TP-Link Archer C7 v2',
      board_name: 'tplink,archer-c7-v2',
      release: {
        distribution: 'OpenWrt',
        version: '23.05.3',
        revision: 'r23809-234f1a2efa',
        target: 'ath79/generic',
        description: 'OpenWrt 23.05.3 r23809-234f1a2efa',
      },
    });
    expect(parseBoardInfo(output)).toEqual({
      boardName: 'tplink,archer-c7-v2',
      model: 'TP-Link Archer C7 v2',
      release: {
        distribution: 'OpenWrt',
        version: '23.05.3',
        revision: 'r23809-234f1a2efa',
        target: 'ath79/generic',
        description: 'OpenWrt 23.05.3 r23809-234f1a2efa',
      },
    });
    expect(parseBoardInfo('Command failed: Not found')).toBeNull();
    expect(parseBoardInfo('{"model": "x"}')).toBeNull();
  });

  it('reads /etc/openwrt_release', () => {
    const release = parseReleaseFile(
      "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='23.05.3'\nDISTRIB_REVISION='r23809-234f1a2efa'\n" +
        "DISTRIB_TARGET='ath79/generic'\nDISTRIB_DESCRIPTION='OpenWrt 23.05.3 r23809-234f1a2efa'\n",
    );
    expect(release).toEqual({
      distribution: 'OpenWrt',
      version: '23.05.3',
      revision: 'r23809-234f1a2efa',
      target: 'ath79/generic',
      description: 'OpenWrt 23.05.3 r23809-234f1a2efa',
    });
  });

  it('reads MemAvailable, falling back to MemFree on old kernels', () => {
    expect(parseMemAvailableKb('MemTotal: 125000 kB\nMemFree:  20000 kB\nMemAvailable:   61234 kB\n')).toBe(61234);
    expect(parseMemAvailableKb('MemTotal: 125000 kB\nMemFree:  20000 kB\n')).toBe(20000);
    expect(parseMemAvailableKb('nonsense')).toBeNull();
  });

  it('reads the available space from busybox and coreutils df, even when the line wraps', () => {
    expect(
      parseDfAvailableKb(
        'Filesystem           1K-blocks      Used Available Use% Mounted on\ntmpfs                    61476      ' +
          '1234     60242   2% /tmp\n',
      ),
    ).toBe(60242);
    expect(
      parseDfAvailableKb(
        'Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/mapper/very-long-name\n 61476 1234 60242 2% /tmp\n',
      ),
    ).toBe(60242);
    expect(parseDfAvailableKb('df: /tmp: No such file')).toBeNull();
  });
});
