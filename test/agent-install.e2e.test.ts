import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AgentProtocolFixture, startAgentProtocolFixture } from './helpers/agent-protocol-fixture.js';
import {
  AGENT_INSTALLER,
  AGENT_SCRIPT,
  type BusyboxRouter,
  ROUTER_MAC,
  startBusyboxRouter,
  skipWithoutBusyboxRouter,
} from './helpers/busybox-router.js';

/**
 * Enrolling and installing the agent (agent/fleetflash-agent.sh enroll, agent/install.sh) under real busybox
 * ash in a chroot, against a scripted peer of the protocol (test/helpers/agent-protocol-fixture.ts): what is
 * sent, what is written on the router and what never is (the secret). The jobs: test/agent-script.e2e.test.ts;
 * against the real server: test/agent-busybox.e2e.test.ts.
 */

const skip = skipWithoutBusyboxRouter(import.meta.url);

let server: AgentProtocolFixture;
let router: BusyboxRouter;

beforeEach(async () => {
  if (skip) return;
  server = await startAgentProtocolFixture();
  router = startBusyboxRouter();
});

afterEach(async () => {
  await router?.stop();
  await server?.close();
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return [];
    if (stat.isDirectory()) return name === 'dev' ? [] : files(file);
    return stat.isFile() ? [file] : [];
  });
}

/** Reports received so far, as "step" or "step:code" strings. */
describe.skipIf(skip)('enroll', () => {
  it('registers the router and stores url, device and token (mode 600), never the secret', async () => {
    const result = await router.agent(['enroll', `${server.url}/`, 'acme', server.secret]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(server.deviceId);
    expect(result.stdout + result.stderr).not.toContain(server.secret);
    const form = server.requests[0]!.form;
    expect(form).toMatchObject({
      organization: 'acme',
      secret: server.secret,
      mac: ROUTER_MAC,
      board: 'tplink,archer-c7-v2',
      model: 'TP-Link Archer C7 v2',
      release: '23.05.2',
      distribution: 'OpenWrt',
      boot_id: router.bootId(),
      hostname: 'OpenWrt',
      agent_version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    const config = router.readRootFile('etc/config/fleetflash')!;
    expect(config).toContain(`option url '${server.url}'`);
    expect(config).toContain(`option token '${server.token}'`);
    expect(config).toContain(`option device '${server.deviceId}'`);
    expect(statSync(path.join(router.root, 'etc/config/fleetflash')).mode & 0o777).toBe(0o600);
    const holdingSecret = files(router.root).filter((file) => readFileSync(file).includes(server.secret));
    expect(holdingSecret).toEqual([]);
    const status = await router.agent(['status']);
    expect(status.stdout).toContain(`device: ${server.deviceId}`);
    expect(status.stdout).not.toContain(server.token);
  });

  it('says a wrong secret was refused and writes no configuration', async () => {
    const result = await router.agent(['enroll', server.url, 'acme', 'not-the-secret']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('wrong organization or registration secret');
    expect(router.readRootFile('etc/config/fleetflash')).toBeNull();
  });
});

describe.skipIf(skip)('the installer', () => {
  it('installs the script, the procd service and the keep list, enrolls, enables and starts the service', async () => {
    rmSync(path.join(router.root, 'usr/sbin/fleetflash-agent'));
    const result = await router.shell(
      `wget -qO- ${server.url}/agent/install.sh | sh -s -- ${server.url} acme ${server.secret}`,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('installed and running');
    expect(router.readRootFile('usr/sbin/fleetflash-agent')).toBe(readFileSync(AGENT_SCRIPT, 'utf8'));
    expect(statSync(path.join(router.root, 'usr/sbin/fleetflash-agent')).mode & 0o111).toBe(0o111);
    expect(router.readRootFile('etc/config/fleetflash')).toContain(`option token '${server.token}'`);
    expect(router.readRootFile('lib/upgrade/keep.d/fleetflash')!.trim().split('\n')).toEqual(
      expect.arrayContaining([
        '/usr/sbin/fleetflash-agent',
        '/etc/init.d/fleetflash',
        '/etc/config/fleetflash',
        '/etc/fleetflash/',
      ]),
    );
    // What procd was told (the scripted rc.common records it).
    expect(router.readRootFile('service.log')!.trim().split('\n')).toEqual([
      'enable fleetflash START=99 STOP=10',
      'open_instance',
      'command /usr/sbin/fleetflash-agent run',
      'respawn 3600 30 0',
      'stdout 1',
      'stderr 1',
      'close_instance',
    ]);
    const holdingSecret = files(router.root).filter((file) => readFileSync(file).includes(server.secret));
    expect(holdingSecret).toEqual([]);
  });

  it('asks for the server URL first when given only the organization and the secret', async () => {
    const result = await router.shell(`wget -qO- ${server.url}/agent/install.sh | sh -s -- acme ${server.secret}`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('sh -s -- <server url> <organization> <secret>');
    expect(router.readRootFile('etc/config/fleetflash')).toBeNull();
  });

  it('refuses to install what is not the agent script (an error page of a proxy)', async () => {
    const installer = readFileSync(AGENT_INSTALLER, 'utf8');
    writeFileSync(path.join(router.root, 'tmp/install.sh'), installer);
    rmSync(path.join(router.root, 'usr/sbin/fleetflash-agent'));
    server.serveInsteadOfScripts('<html>502 Bad Gateway</html>\n');
    const result = await router.shell(`sh /tmp/install.sh ${server.url} acme ${server.secret}`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('is not the agent script');
    expect(router.readRootFile('usr/sbin/fleetflash-agent')).toBeNull();
    expect(router.readRootFile('etc/config/fleetflash')).toBeNull();
  });
});
