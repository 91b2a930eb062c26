import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { runCli, startServer, type ServerProcess } from './helpers/process.js';
import { FAST_UPGRADE_SETTINGS } from './helpers/upgrade-harness.js';

/**
 * The README's path for a newcomer, with real processes: the server, `fleetflash simulate` registering
 * five routers, a sample image, a PUT of a device's firmware, and the log reaching success.
 */

let database: TestDatabase;
let server: ServerProcess;
let simulator: ChildProcess | undefined;
let token: string;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-simcli-'));

async function api(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const env = {
    ...FAST_UPGRADE_SETTINGS,
    DATABASE_URL: database.url,
    FLEETFLASH_DATA_DIR: dataDir,
    FLEETFLASH_ADMIN_USERNAME: 'admin',
    FLEETFLASH_ADMIN_PASSWORD: 'admin password',
  };
  server = await startServer(env);
  const created = await runCli(['token', 'create', '--username', 'admin'], env);
  token = created.stdout.trim().split('\n').pop()!;
});
afterAll(async () => {
  simulator?.kill('SIGINT');
  await server?.stop();
  await database.close();
});

describe('fleetflash simulate with a running server', () => {
  it('registers simulated routers, which then upgrade to the uploaded release', async () => {
    const organization = (await api('POST', '/api/v1/organizations/', { name: 'Demo' })).json;
    const secret = (await api('POST', `/api/v1/organizations/${organization.id}/registration-secret/`)).json.secret;
    expect(
      (
        await api('POST', '/api/v1/credentials/', {
          organization: organization.id,
          name: 'simulated',
          username: 'root',
          password: 'simulated',
          is_default: true,
        })
      ).status,
    ).toBe(201);

    const listFile = path.join(dataDir, 'routers.json');
    simulator = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(PROJECT_ROOT, 'src', 'main.ts'),
        'simulate',
        '--devices',
        '5',
        '--reboot-seconds',
        '0.2',
        '--register',
        server.url,
        '--organization',
        organization.slug,
        '--secret',
        secret,
        '--json-file',
        listFile,
      ],
      { cwd: PROJECT_ROOT },
    );
    let output = '';
    simulator.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    simulator.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    const deadline = Date.now() + 30_000;
    while (!output.includes('Press Ctrl-C')) {
      if (Date.now() > deadline) throw new Error(`simulate did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(output).toContain(`Registered with ${server.url}`);
    const routers = JSON.parse(readFileSync(listFile, 'utf8')).routers as { mac_address: string; board_name: string }[];
    expect(routers).toHaveLength(5);

    const devices = (await api('GET', `/api/v1/devices/?organization=${organization.slug}`)).json;
    expect(devices.count).toBe(5);
    const device = devices.results.find(
      (candidate: { board_name: string }) => candidate.board_name === 'tplink,archer-c7-v2',
    );

    const targetOs = 'OpenWrt 23.05.3 r23809-234f1a2efa';
    const imageFile = path.join(dataDir, 'sample.bin');
    const written = await runCli(
      ['sample-image', '--board', 'tplink,archer-c7-v2', '--os', targetOs, '--out', imageFile, '--size-mib', '1'],
      {},
    );
    expect(written.code, written.stderr).toBe(0);
    const fileName = /file name (\S+)/.exec(written.stdout)![1]!;

    const category = (await api('POST', '/api/v1/firmware/category/', { name: 'WiFi', organization: organization.id }))
      .json;
    const build = (
      await api('POST', '/api/v1/firmware/build/', { category: category.id, version: '23.05.3', os: targetOs })
    ).json;
    const form = new FormData();
    form.append('file', new Blob([readFileSync(imageFile)]), fileName);
    const image = await api('POST', `/api/v1/firmware/build/${build.id}/image/`, form);
    expect(image.status, JSON.stringify(image.json)).toBe(201);

    const started = await api('PUT', `/api/v1/firmware/device/${device.id}/firmware/`, { image: image.json.id });
    expect(started.status).toBe(201);
    const operationId = started.json.upgrade_operation.id;
    let operation: { status: string; log: string };
    for (;;) {
      operation = (await api('GET', `/api/v1/firmware/upgrade-operation/${operationId}/`)).json;
      if (!['pending', 'in-progress'].includes(operation.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(operation.status, operation.log).toBe('success');
    expect((await api('GET', `/api/v1/devices/${device.id}/`)).json.os).toBe(targetOs);

    // On exit: each router's flash count and final release, in the JSON file and in a summary.
    const exited = new Promise<number | null>((resolve) => simulator!.once('close', resolve));
    simulator.kill('SIGINT');
    expect(await exited).toBe(0);
    simulator = undefined;
    const final = JSON.parse(readFileSync(listFile, 'utf8')).routers as {
      mac_address: string;
      flash_count: number;
      release: string;
    }[];
    const upgraded = final.find((router) => router.mac_address === device.mac_address)!;
    expect(upgraded).toMatchObject({ flash_count: 1, release: targetOs });
    expect(final.filter((router) => router.flash_count === 0)).toHaveLength(4);
    expect(output).toContain('Summary of 5 simulated routers: 4 flashed 0 times, 1 flashed once.');
    expect(output).toContain(`1 on ${targetOs}`);
  });

  it('--agent: routers in pull mode enroll with the server and poll it; without --register it says why', async () => {
    const refused = await runCli(['simulate', '--agent', '--devices', '1'], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--agent routers enroll with a server: give --register URL too');

    const organization = (await api('POST', '/api/v1/organizations/', { name: 'Behind NAT' })).json;
    const secret = (await api('POST', `/api/v1/organizations/${organization.id}/registration-secret/`)).json.secret;
    const agents = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(PROJECT_ROOT, 'src', 'main.ts'),
        'simulate',
        '--agent',
        '--devices',
        '2',
        '--register',
        server.url,
        '--organization',
        organization.slug,
        '--secret',
        secret,
      ],
      { cwd: PROJECT_ROOT },
    );
    simulator = agents;
    let output = '';
    agents.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    const deadline = Date.now() + 30_000;
    while (!output.includes('Press Ctrl-C')) {
      if (Date.now() > deadline) throw new Error(`simulate --agent did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(output).toContain('Simulating 2 OpenWrt routers in pull mode');
    expect(output).toContain(`Enrolled with ${server.url}`);
    const devices = (await api('GET', `/api/v1/devices/?organization=${organization.slug}&management=agent`)).json;
    expect(devices.count).toBe(2);
    for (;;) {
      const polled = (await api('GET', `/api/v1/devices/${devices.results[0].id}/`)).json;
      if (polled.agent_last_poll_at) break;
      if (Date.now() > deadline) throw new Error('the agent never polled');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const exited = new Promise<number | null>((resolve) => agents.once('close', resolve));
    agents.kill('SIGINT');
    expect(await exited).toBe(0);
    simulator = undefined;
    expect(output).toContain('Summary of 2 simulated routers: 2 flashed 0 times.');
  });
});
