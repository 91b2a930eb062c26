import { readFileSync, rmSync, statSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_SCRIPT,
  type BusyboxRouter,
  startBusyboxRouter,
  skipWithoutBusyboxRouter,
} from './helpers/busybox-router.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * The .ipk installed on a busybox router (test/helpers/busybox-router.ts) the way opkg installs it: the
 * router downloads it from the real server with its own wget, unpacks data.tar.gz onto / and runs the
 * maintainer scripts from control.tar.gz (opkg itself is no Debian package; its steps are these). Then the
 * packaged agent enrolls. The package's format is test/agent-package.e2e.test.ts.
 */

const skip = skipWithoutBusyboxRouter(import.meta.url);

let h: Harness;
let serverUrl: string;
let secret: string;
let router: BusyboxRouter | null = null;

beforeAll(async () => {
  if (skip) return;
  h = await createHarness();
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  serverUrl = `http://127.0.0.1:${(h.t.app.server.address() as net.AddressInfo).port}`;
  const response = await h.api.post(`/api/v1/organizations/${h.organizationId}/registration-secret/`);
  expect(response.statusCode, response.body).toBe(201);
  secret = response.json().secret;
});

afterEach(async () => {
  await router?.stop();
  router = null;
});

afterAll(async () => {
  await h?.close();
});

/** Downloads and unpacks the package in the router (/tmp/pkg), data onto /, control into /tmp/pkg/control. */
async function unpackOnRouter(target: BusyboxRouter): Promise<void> {
  const result = await target.shell(
    [
      'set -e',
      `wget -q -O /tmp/fleetflash-agent.ipk ${serverUrl}/agent/fleetflash-agent.ipk`,
      'mkdir -p /tmp/pkg/control',
      'cd /tmp/pkg',
      'tar -xzf /tmp/fleetflash-agent.ipk',
      'tar -xzf data.tar.gz -C /',
      'tar -xzf control.tar.gz -C control',
    ].join('\n'),
  );
  expect(result.code, result.stderr).toBe(0);
}

describe.skipIf(skip)('the agent package on a router', () => {
  it('installs script, service and keep list, enables and starts the service, and the agent enrolls', async () => {
    router = startBusyboxRouter({ mac: '02:bb:00:00:02:01' });
    rmSync(path.join(router.root, 'usr/sbin/fleetflash-agent'));
    await unpackOnRouter(router);
    expect(router.readRootFile('usr/sbin/fleetflash-agent')).toBe(readFileSync(AGENT_SCRIPT, 'utf8'));
    expect(statSync(path.join(router.root, 'usr/sbin/fleetflash-agent')).mode & 0o777).toBe(0o755);
    expect(router.readRootFile('lib/upgrade/keep.d/fleetflash')).toContain('/etc/config/fleetflash');

    const postinst = await router.shell('/tmp/pkg/control/postinst');
    expect(postinst.code, postinst.stderr).toBe(0);
    const service = router.readRootFile('service.log')!.trim().split('\n');
    expect(service[0]).toBe('enable fleetflash START=99 STOP=10');
    expect(service).toContain('command /usr/sbin/fleetflash-agent run');

    const version = await router.agent(['version']);
    expect(version.stdout.trim()).toBe(/^VERSION=(.+)$/m.exec(readFileSync(AGENT_SCRIPT, 'utf8'))![1]);
    const enrolled = await router.shell(`fleetflash-agent enroll ${serverUrl} ${h.organizationSlug} ${secret}`);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const deviceId = /device '([0-9a-f-]{36})'/.exec(router.readRootFile('etc/config/fleetflash')!)![1]!;
    const device = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json();
    expect(device).toMatchObject({ organization: h.organizationId, management: 'agent' });

    const prerm = await router.shell('/tmp/pkg/control/prerm');
    expect(prerm.code, prerm.stderr).toBe(0);
    expect(router.readRootFile('service.log')!.trim().split('\n').slice(-2)).toEqual([
      'stop fleetflash',
      'disable fleetflash START=99 STOP=10',
    ]);
  });

  it('leaves the service alone when installed into an image being built (IPKG_INSTROOT set)', async () => {
    router = startBusyboxRouter({ mac: '02:bb:00:00:02:02' });
    await unpackOnRouter(router);
    const postinst = await router.shell('IPKG_INSTROOT=/build/root /tmp/pkg/control/postinst');
    expect(postinst.code, postinst.stderr).toBe(0);
    const prerm = await router.shell('IPKG_INSTROOT=/build/root /tmp/pkg/control/prerm');
    expect(prerm.code, prerm.stderr).toBe(0);
    expect(router.readRootFile('service.log')).toBeNull();
  });
});
