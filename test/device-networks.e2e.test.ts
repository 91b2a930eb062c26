import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedRouter } from '../simulator/router.js';
import { SIMULATED_BOARDS } from '../simulator/fleet.js';
import { makeToken, makeUser } from './helpers/factories.js';
import { client } from './helpers/http.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * Device addresses are checked again when the worker connects, after DNS; and what an organization
 * reads about a failed connection does not tell a closed port from any other failure.
 */

describe('a host name that resolves to loopback, with loopback not allowed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'false' });
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
  });

  it('aborts the upgrade without retrying and without contacting the device', async () => {
    const board = SIMULATED_BOARDS[0]!;
    const router = new SimulatedRouter({
      name: 'router-localhost',
      macAddress: '02:dd:00:00:00:01',
      boardName: board.boardName,
      model: board.model,
      release: { distribution: 'OpenWrt', version: '23.05.2', revision: 'r23630-842932a63d', target: board.target },
      rebootMs: 100,
      password: 'simulated',
      faults: {},
    });
    await router.start();
    h.routers.push(router);
    const { host, port } = router.address;
    expect(host).toBe('127.0.0.1');
    // "localhost" is a name: it passes when saved and must be caught once resolved.
    const device = await h.api.post('/api/v1/devices/', {
      organization: h.organizationId,
      name: router.name,
      mac_address: '02:dd:00:00:00:01',
      board_name: board.boardName,
      model: board.model,
      os: 'OpenWrt 23.05.2 r23630-842932a63d',
      management_ip: 'localhost',
      ssh_port: port,
    });
    expect(device.statusCode).toBe(201);
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(device.json().id, imageId));
    expect(result).toMatchObject({ status: 'aborted', error_code: 'address-not-allowed', attempt: 1 });
    // Tenants learn that the address is refused, not what the server's DNS answered nor which rule.
    expect(result.log).toContain('localhost resolves to an address that is not in a network devices may be reached at');
    expect(result.log).not.toContain('127.0.0.1');
    expect(result.log).not.toContain('::1');
    expect(result.log).not.toContain('devices.allow_loopback');
    expect(result.log).toContain('not contacted');
    expect(router.connections).toBe(0);
    expect(router.flashCount).toBe(0);
  });
});

describe('what an organization member reads about an unreachable device', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ FLEETFLASH_RETRY_MAX_RETRIES: '1' });
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
  });

  /** A port nothing listens on: connecting is refused at once. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('says "unreachable" for a refused and a reset connection alike, without the cause', async () => {
    const refusedRouter = await h.addRouter();
    const resetRouter = await h.addRouter();
    resetRouter.router.offline = true; // accepts, then drops the connection
    const port = await closedPort();
    await h.api.patch(`/api/v1/devices/${refusedRouter.deviceId}/`, { ssh_port: port });
    const { imageId } = await h.addImage();
    const organization = await h.db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', h.organizationId)
      .executeTakeFirstOrThrow();
    const member = client(
      h.t.app,
      await makeToken(h.t.db, await makeUser(h.t.db, { memberships: [{ organization, role: 'operator' }] })),
    );

    const texts: string[] = [];
    for (const { deviceId } of [refusedRouter, resetRouter]) {
      const operationId = await h.upgrade(deviceId, imageId);
      expect(await h.waitForEnd(operationId)).toMatchObject({ status: 'failed', error_code: 'max-retries-exceeded' });
      const read = await member.get(`/api/v1/firmware/upgrade-operation/${operationId}/`);
      expect(read.statusCode).toBe(200);
      const lines = (await member.get(`/api/v1/firmware/upgrade-operation/${operationId}/log/`)).json().results as {
        message: string;
      }[];
      const text = [read.json().log as string, ...lines.map((line) => line.message)].join('\n');
      expect(text).toContain('unreachable');
      expect(text).not.toMatch(/ECONN|refused|reset|timed? ?out|handshake/i);
      const port = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json().ssh_port as number;
      texts.push(
        lines
          .filter((line) => line.message.includes('Cannot connect'))
          .map((line) => line.message.replaceAll(String(port), 'PORT').replace(/ at \S+ \(in [^)]+\)/, ''))
          .join('\n'),
      );
    }
    // Both failures read the same, apart from the port.
    expect(texts[0]).not.toBe('');
    expect(texts[0]).toBe(texts[1]);
  });
});
