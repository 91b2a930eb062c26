import { createHash, randomBytes } from 'node:crypto';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSysupgradeImage } from '../test/helpers/firmware-file.js';
import { generateKeyPair } from '../test/helpers/ssh-keys.js';
import { Fleet, seededRandom } from './fleet.js';
import { SimulatedRouter } from './router.js';

const routers: SimulatedRouter[] = [];
afterAll(async () => {
  await Promise.all(routers.map((router) => router.stop()));
});

async function startRouter(
  options: Partial<ConstructorParameters<typeof SimulatedRouter>[0]> = {},
): Promise<SimulatedRouter> {
  const router = new SimulatedRouter({
    name: 'r',
    macAddress: '02:00:00:00:00:09',
    boardName: 'tplink,archer-c7-v2',
    model: 'TP-Link Archer C7 v2',
    release: { distribution: 'OpenWrt', version: '23.05.2', revision: 'r23630-842932a63d', target: 'ath79/generic' },
    rebootMs: 50,
    ...options,
  });
  await router.start();
  routers.push(router);
  return router;
}

function connect(
  router: SimulatedRouter,
  credentials: { password?: string; privateKey?: string } = { password: 'simulated' },
): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    client.connect({
      host: router.address.host,
      port: router.address.port,
      username: 'root',
      ...credentials,
      readyTimeout: 5000,
    });
  });
}

function exec(client: ssh2.Client, command: string, stdin?: Buffer): Promise<{ code: number | null; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      let code: number | null = null;
      channel.on('data', (data: Buffer) => chunks.push(data));
      channel.on('exit', (exitCode: number) => {
        code = exitCode;
      });
      channel.on('close', () => resolve({ code, stdout: Buffer.concat(chunks) }));
      if (stdin) channel.end(stdin);
      else channel.end();
    });
  });
}

/** The source side of legacy scp, as OpenWISP's upgrader (paramiko + scp) drives it. */
function scpUpload(client: ssh2.Client, target: string, name: string, content: Buffer): Promise<number | null> {
  return new Promise((resolve, reject) => {
    client.exec(`scp -t ${target}`, (error, channel) => {
      if (error) return reject(error);
      let acks = 0;
      let code: number | null = null;
      channel.on('exit', (exitCode: number) => {
        code = exitCode;
      });
      channel.on('close', () => resolve(code));
      channel.on('data', (data: Buffer) => {
        for (const byte of data) {
          if (byte !== 0) return reject(new Error(`scp error: ${data.toString()}`));
          acks += 1;
          if (acks === 1) channel.write(`C0644 ${content.length} ${name}\n`);
          else if (acks === 2) {
            channel.write(content);
            channel.write(Buffer.from([0]));
          } else if (acks === 3) channel.end();
        }
      });
    });
  });
}

describe('simulated router over SSH', () => {
  it('receives a file over legacy scp -t and computes its sha256 like the device would', async () => {
    const router = await startRouter();
    const client = await connect(router);
    const content = randomBytes(300_000);
    expect(await scpUpload(client, '/tmp/', 'firmware.bin', content)).toBe(0);
    const sum = (await exec(client, 'sha256sum /tmp/firmware.bin')).stdout.toString();
    expect(sum.split(/\s+/)[0]).toBe(createHash('sha256').update(content).digest('hex'));
    client.end();
  });

  it(
    "checks images like sysupgrade does, then drops the session, reboots and comes back on the image's " + 'release',
    async () => {
      const router = await startRouter();
      const client = await connect(router);
      const wrong = makeSysupgradeImage({
        supportedDevices: ['glinet,gl-mt3000'],
        version: '24.10.0',
        revision: 'r28427-6df0e3d02a',
      });
      expect((await exec(client, 'cat > /tmp/wrong.bin', wrong)).code).toBe(0);
      expect((await exec(client, 'sysupgrade -T /tmp/wrong.bin')).code).toBe(1);
      const right = makeSysupgradeImage({ version: '24.10.0', revision: 'r28427-6df0e3d02a' });
      expect((await exec(client, 'cat > /tmp/right.bin', right)).code).toBe(0);
      expect((await exec(client, 'sysupgrade -T /tmp/right.bin')).code).toBe(0);
      const bootId = router.state.bootId;
      const flash = await exec(client, 'sysupgrade -v -c /tmp/right.bin');
      expect(flash.stdout.toString()).toContain('Commencing upgrade');
      await new Promise((resolve) => setTimeout(resolve, 150));
      const after = await connect(router);
      expect(JSON.parse((await exec(after, 'ubus call system board')).stdout.toString()).release.description).toBe(
        'OpenWrt 24.10.0 r28427-6df0e3d02a',
      );
      expect(router.state.bootId).not.toBe(bootId);
      expect((await exec(after, 'ls /tmp')).stdout.toString()).not.toContain('right.bin');
      after.end();
    },
  );

  it('accepts public-key logins for authorized keys only', async () => {
    const allowed = generateKeyPair();
    const other = generateKeyPair();
    const router = await startRouter({ authorizedKeys: [allowed.public] });
    (await connect(router, { privateKey: allowed.private })).end();
    await expect(connect(router, { privateKey: other.private })).rejects.toThrow(/authentication/i);
  });
});

describe('simulated fleet', () => {
  it('starts 1,000 routers in one process, each answering on its own port, with seeded faults', async () => {
    const fleet = new Fleet({ count: 1000, seed: 7, faults: ['never-returns', 'transfer-cut'], faultRate: 0.1 });
    await fleet.start();
    try {
      const description = fleet.describe();
      expect(new Set(description.map((router) => router.port)).size).toBe(1000);
      expect(new Set(description.map((router) => router.mac_address)).size).toBe(1000);
      const faulty = description.filter((router) => Object.keys(router.faults).length > 0).length;
      expect(faulty).toBeGreaterThan(50);
      expect(faulty).toBeLessThan(150);
      // The same seed makes the same fleet.
      const again = new Fleet({ count: 1000, seed: 7, faults: ['never-returns', 'transfer-cut'], faultRate: 0.1 });
      expect(again.routers.map((router) => router.describe().faults)).toEqual(
        description.map((router) => router.faults),
      );
      for (const index of [0, 499, 999]) {
        const client = await connect(fleet.routers[index]!);
        expect((await exec(client, 'cat /tmp/sysinfo/board_name')).stdout.toString().trim()).toBe(
          description[index]!.board_name,
        );
        client.end();
      }
    } finally {
      await fleet.stop();
    }
  });

  it('draws the same numbers from the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});
