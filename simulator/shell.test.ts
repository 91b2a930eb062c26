import { describe, expect, it } from 'vitest';
import { RouterState } from './router-state.js';
import { runShell, tokenize } from './shell.js';

function router(): RouterState {
  return new RouterState({
    name: 'r1',
    macAddress: '02:00:00:00:00:01',
    boardName: 'tplink,archer-c7-v2',
    model: 'TP-Link Archer C7 v2',
    release: { distribution: 'OpenWrt', version: '23.05.2', revision: 'r23630-842932a63d', target: 'ath79/generic' },
    openwispUuid: '5a0e6b7a-0a5e-4d2b-9a5e-3b8a8b6a3f10',
  });
}

describe('simulated router shell', () => {
  it('tokenizes quotes, escapes and operators', () => {
    expect(tokenize(`echo 'a b' "c \\"d\\"" e\\ f && cat >/tmp/x 2>/dev/null`).map((token) => token.value)).toEqual([
      'echo',
      'a b',
      'c "d"',
      'e f',
      '&&',
      'cat',
      '>',
      '/tmp/x',
      '2>',
      '/dev/null',
    ]);
  });

  it('runs the commands the fleetflash upgrader sends', async () => {
    const state = router();
    const board = JSON.parse((await runShell('ubus call system board', state)).stdout);
    expect(board).toMatchObject({
      board_name: 'tplink,archer-c7-v2',
      release: { description: 'OpenWrt 23.05.2 r23630-842932a63d' },
    });
    expect((await runShell('cat /proc/meminfo', state)).stdout).toMatch(/MemAvailable:\s+\d+ kB/);
    expect((await runShell('df -k /tmp', state)).stdout).toMatch(/tmpfs\s+\d+\s+\d+\s+\d+\s+\d+% \/tmp/);
    expect((await runShell('cat /etc/fleetflash/firmware.sha256 2>/dev/null', state)).code).toBe(1);
    expect((await runShell('mkdir -p /etc/fleetflash && echo abc > /etc/fleetflash/firmware.sha256', state)).code).toBe(
      0,
    );
    expect((await runShell('cat /etc/fleetflash/firmware.sha256', state)).stdout).toBe('abc\n');
    const before = state.memAvailableKb;
    await runShell('rm -rf /tmp/opkg-lists && sync && echo 3 > /proc/sys/vm/drop_caches', state);
    expect(state.memAvailableKb).toBeGreaterThan(before);
    await runShell('/etc/init.d/uhttpd stop', state);
    expect(state.runningServices).not.toContain('uhttpd');
    expect((await runShell('/etc/init.d/nonexistent stop', state)).code).toBe(127);
    expect((await runShell('sysupgrade -T /tmp/missing.bin', state)).code).toBe(1);
  });

  it("runs the OpenWISP upgrader's commands (reference §3.3)", async () => {
    const state = router();
    expect((await runShell('uci get openwisp.http.uuid', state)).stdout.trim()).toBe(
      '5a0e6b7a0a5e4d2b9a5e3b8a8b6a3f10',
    );
    expect((await runShell('test -f /etc/openwisp/firmware_checksum', state)).code).toBe(1);
    expect((await runShell('cat /proc/meminfo | grep MemAvailable', state)).stdout).toMatch(/^MemAvailable:/);
    expect((await runShell('test -f /etc/init.d/uhttpd && /etc/init.d/uhttpd stop', state)).code).toBe(0);
    expect((await runShell('test -f /sbin/wifi && /sbin/wifi down', state)).code).toBe(0);
    expect((await runShell('rm /etc/openwisp/checksum 2> /dev/null', state)).code).toBe(1);
    expect((await runShell('mkdir -p /etc/openwisp', state)).code).toBe(0);
    expect((await runShell('echo 0123 > /etc/openwisp/firmware_checksum', state)).code).toBe(0);
    expect((await runShell('cat /etc/openwisp/firmware_checksum', state)).stdout).toBe('0123\n');
  });

  it('answers || and ; like a shell, and reports unknown commands with 127', async () => {
    const state = router();
    expect((await runShell('false || echo fallback; echo next', state)).stdout).toBe('fallback\nnext\n');
    expect((await runShell('true && false && echo never', state)).code).toBe(1);
    const unknown = await runShell('frobnicate', state);
    expect(unknown.code).toBe(127);
    expect(unknown.stderr).toContain('not found');
  });

  it('refuses writes to a full /tmp', () => {
    const state = router();
    const sink = state.beginUpload('/tmp/big.bin');
    let problem: string | null = null;
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 200 && !problem; i += 1) problem = sink.write(chunk);
    expect(problem).toBe('No space left on device');
  });
});
