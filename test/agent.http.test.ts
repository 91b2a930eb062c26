import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigArchive } from '../simulator/config-archive.js';
import { claimDevicesDueForContact } from '../src/modules/upgrades/reachability.repository.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization } from './helpers/factories.js';
import { parseAgentLines, postForm, RawAgent } from './helpers/raw-agent.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * The pull agent's protocol against the real server over real HTTP: this file plays the agent with
 * fetch (form bodies in, key=value lines out), while a real upgrade worker runs the operations.
 */

let h: Harness;
let base: string;
let secret: string;
let imageId: string;
let macCounter = 0;

type Lines = Record<string, string>;
const parseLines = (text: string): Lines => parseAgentLines(text).lines;
const post = (url: string, fields: Record<string, string>) =>
  postForm(url.startsWith('http') ? url : `${base}${url}`, fields);

/** A router's agent of version 1.0 (no attempt, no phase), with the next MAC; `enroll` enrolls it. */
type Agent = RawAgent;
function newAgent(): Agent {
  macCounter += 1;
  const mac = `02:aa:00:00:00:${macCounter.toString(16).padStart(2, '0')}`;
  return new RawAgent({ base, organization: h.organizationSlug, secret, mac, version: '1.0' });
}
const Agent = { enroll: (): Promise<Agent> => RawAgent.enroll(newAgent().options) };

/** Starts an upgrade of the agent's device (backup off unless given). */
async function upgrade(agent: Agent, backup = 'off'): Promise<string> {
  const response = await h.api.put(`/api/v1/firmware/device/${agent.deviceId}/firmware/`, {
    image: imageId,
    backup,
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json().upgrade_operation.id as string;
}

/** Polls until the server hands out something other than `none`. */
const pollFor = (agent: Agent, operation = ''): Promise<Lines> => agent.nextAction(operation);

/** Takes the job and reports the steps up to `ready`. */
const prepare = async (agent: Agent, operation: string): Promise<void> => {
  await agent.prepare(operation);
};

beforeAll(async () => {
  h = await createHarness({
    FLEETFLASH_AGENT_LONG_POLL: '2',
    FLEETFLASH_AGENT_PICKUP_TIMEOUT: '1.5',
    FLEETFLASH_AGENT_REPORT_TIMEOUT: '1.5',
    FLEETFLASH_RETRY_MAX_RETRIES: '0',
    FLEETFLASH_AGENT_DOWNLOAD_RATE_LIMIT: '5',
  });
  ({ base, secret } = await h.listenForAgents());
  imageId = (await h.addImage({ size: 4096 })).imageId;
  await h.startWorker();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('enrollment', () => {
  it('enrolls an agent as a device managed by its agent, refuses a wrong secret and malformed fields', async () => {
    const agent = await Agent.enroll();
    expect(agent.token).toMatch(/^ffa_/);
    const device = (await h.api.get(`/api/v1/devices/${agent.deviceId}/`)).json();
    expect(device).toMatchObject({ management: 'agent', agent_version: '1.0', agent_release: '23.05.2' });
    expect(device.os).toBe('OpenWrt 23.05.2');
    const listed = (await h.api.get('/api/v1/devices/?management=agent')).json();
    expect(listed.results.map((row: { id: string }) => row.id)).toContain(agent.deviceId);
    expect(
      (await h.api.get('/api/v1/devices/?management=ssh')).json().results.map((row: { id: string }) => row.id),
    ).not.toContain(agent.deviceId);

    const wrong = await post('/agent/v1/enroll', { ...agent.enrollment('02:aa:00:00:01:01'), secret: 'ffr_wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.lines.code).toBe('InvalidRegistrationSecret');
    const malformed = await post('/agent/v1/enroll', { ...agent.enrollment('not-a-mac') });
    expect(malformed.status).toBe(400);
    expect(malformed.lines.detail).toContain('"mac"');
  });

  it('enrolls many routers behind one address at once, and throttles wrong secrets only', async () => {
    const agent = newAgent();
    const fields = (mac: string, organization: string, organizationSecret: string) => ({
      ...agent.enrollment(mac),
      organization,
      secret: organizationSecret,
    });
    // After a power cut, a site's routers enroll together from its one NAT address.
    const together = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        post(
          '/agent/v1/enroll',
          fields(`02:bb:00:00:00:${index.toString(16).padStart(2, '0')}`, h.organizationSlug, secret),
        ),
      ),
    );
    expect(together.map((answer) => answer.status)).toEqual(Array(30).fill(200));

    const other = await makeOrganization(h.db);
    const otherSecret = (await h.api.post(`/api/v1/organizations/${other.id}/registration-secret/`)).json().secret;
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect((await post('/agent/v1/enroll', fields('02:bb:00:00:01:01', other.slug, 'ffr_stale'))).status).toBe(401);
    // The budget is spent: refused before the secret is even looked at.
    const refused = await post('/agent/v1/enroll', fields('02:bb:00:00:01:01', other.slug, otherSecret));
    expect(refused.status).toBe(429);
    expect(refused.lines.retry_after).toMatch(/^\d+$/);
  });

  it('links the build the router runs when the agent sends its revision', async () => {
    const running = await h.addImage({ size: 4096 });
    const [version, revision] = running.os.split(' ').slice(1);
    const agent = newAgent();
    agent.release = version!;
    const enrolled = await post('/agent/v1/enroll', { ...agent.enrollment('02:cc:00:00:00:01'), revision: revision! });
    expect(enrolled.status, JSON.stringify(enrolled.lines)).toBe(200);
    const device = (await h.api.get(`/api/v1/devices/${enrolled.lines.device}/`)).json();
    expect(device.os).toBe(running.os);
    const firmware = (await h.api.get(`/api/v1/firmware/device/${enrolled.lines.device}/firmware/`)).json();
    expect(firmware).toMatchObject({ image: running.imageId, installed: true });
    const bad = await post('/agent/v1/enroll', { ...agent.enrollment('02:cc:00:00:00:02'), revision: 'r1 r2' });
    expect(bad.status).toBe(400);
    expect(bad.lines.detail).toContain('"revision"');
  });

  it('answers none to an idle poll, with the poll interval, and records the poll', async () => {
    const agent = await Agent.enroll();
    const started = Date.now();
    const answer = await agent.poll();
    expect(answer.lines).toMatchObject({ action: 'none', poll_interval: '60' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1800); // held for the long poll (2 s)
    const device = (await h.api.get(`/api/v1/devices/${agent.deviceId}/`)).json();
    expect(device.agent_last_poll_at).not.toBeNull();
    expect((await post('/agent/v1/poll', { token: 'ffa_nonsense-token-of-enough-length' })).status).toBe(401);
    expect((await post('/agent/v1/poll', { token: agent.token, operation: 'nope' })).lines.detail).toContain(
      '"operation"',
    );
  });
});

describe('upgrades through the agent', () => {
  it('wakes a held poll within a second when an operation is released', async () => {
    const agent = await Agent.enroll();
    const held = agent.poll();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const released = Date.now();
    const operation = await upgrade(agent);
    const answer = await held;
    expect(answer.lines).toMatchObject({ action: 'upgrade', operation });
    expect(Date.now() - released).toBeLessThan(1000);
    await h.api.post(`/api/v1/firmware/upgrade-operation/${operation}/cancel/`);
    await h.waitForEnd(operation);
  });

  it('upgrades: Range download, backup upload, ready, flash, proof of boot; repeated reports count once', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent, 'required');
    const job = await pollFor(agent);
    expect(job).toMatchObject({ action: 'upgrade', operation, flags: '-c', backup: 'required', release: '23.05.3' });
    // A cut download resumes with Range.
    const first = await fetch(job.image_url!, { headers: { range: 'bytes=0-999' } });
    expect(first.status).toBe(206);
    const rest = await fetch(job.image_url!, { headers: { range: 'bytes=1000-' } });
    expect(rest.status).toBe(206);
    const image = Buffer.concat([Buffer.from(await first.arrayBuffer()), Buffer.from(await rest.arrayBuffer())]);
    expect(image.length).toBe(Number(job.size));
    expect(createHash('sha256').update(image).digest('hex')).toBe(job.sha256);

    expect((await agent.report(operation, 'log', { message: 'hello from the agent' }, 1)).lines).toEqual({ ok: '1' });
    expect((await agent.report(operation, 'log', { message: 'hello from the agent' }, 1)).lines).toEqual({ ok: '1' });
    await agent.report(operation, 'checked', { message: 'enough' }, 2);
    await agent.report(operation, 'downloading', { bytes: '1000' }, 3);
    await agent.report(operation, 'downloaded', {}, 4);
    await agent.report(operation, 'verified', {}, 5);
    const archive = writeConfigArchive(new Map([['etc/config/network', "config interface 'lan'\n"]]));
    const uploaded = await fetch(job.backup_url!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: archive,
    });
    expect(uploaded.status).toBe(200);
    expect(parseLines(await uploaded.text())).toEqual({ ok: '1' });
    await agent.report(operation, 'backup', { message: 'uploaded' }, 6);
    const ready = Date.now();
    await agent.report(operation, 'ready', {}, 7);
    expect(await pollFor(agent, operation)).toMatchObject({ action: 'flash', operation });
    // The report wakes the waiting worker and its order wakes the held poll: well before the 2 s fallback re-read.
    expect(Date.now() - ready).toBeLessThan(1000);
    await agent.report(operation, 'flashing', {}, 8);
    agent.bootId = 'boot-after-flash';
    agent.release = '23.05.3';
    await agent.report(operation, 'booted', { boot_id: agent.bootId, release: agent.release }, 9);

    const end = await h.waitForEnd(operation);
    expect(end.status, end.log).toBe('success');
    expect(end.log.split('hello from the agent').length - 1).toBe(1);
    expect(end.log).toContain('Configuration backup kept');
    const backups = await h.db.selectFrom('deviceBackups').select('id').where('operationId', '=', operation).execute();
    expect(backups).toHaveLength(1);
    // Nothing more for the agent.
    expect((await agent.poll(operation)).lines.action).toBe('none');
  });

  it('fails as not-flashed when the device boots into the wrong release', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    await prepare(agent, operation);
    expect((await pollFor(agent, operation)).action).toBe('flash');
    await agent.report(operation, 'flashing');
    await agent.report(operation, 'booted', { boot_id: 'another-boot', release: '23.05.2' });
    const end = await h.waitForEnd(operation);
    expect(end).toMatchObject({ status: 'failed', error_code: 'not-flashed' });
    expect(end.log).toContain('runs 23.05.2, not 23.05.3');
  });

  it('refuses to flash without the required backup, and maps the codes an agent gives up with', async () => {
    const unsafe = await Agent.enroll();
    const required = await upgrade(unsafe, 'required');
    await prepare(unsafe, required);
    const noBackup = await h.waitForEnd(required);
    expect(noBackup).toMatchObject({ status: 'aborted', error_code: 'backup-failed' });
    expect((await unsafe.poll(required)).lines.action).toBe('cancel');

    const rejected = await Agent.enroll();
    const operation = await upgrade(rejected);
    expect((await pollFor(rejected)).action).toBe('upgrade');
    await rejected.report(operation, 'failed', { code: 'image-rejected', message: 'sysupgrade -T: bad image' });
    const end = await h.waitForEnd(operation);
    expect(end).toMatchObject({ status: 'aborted', error_code: 'image-rejected' });
    expect(end.log).toContain('sysupgrade -T: bad image');
  });

  it("takes a poll on a new boot with the build's release as proof of boot", async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    await prepare(agent, operation);
    expect((await pollFor(agent, operation)).action).toBe('flash');
    await agent.report(operation, 'flashing');
    agent.bootId = 'boot-seen-by-poll';
    agent.release = '23.05.3';
    expect((await agent.poll()).status).toBe(200);
    const end = await h.waitForEnd(operation);
    expect(end.status, end.log).toBe('success');
  });

  it('ends at the reboot deadline: unreachable-after-flash if silent, not-flashed if on the old boot', async () => {
    const silent = await Agent.enroll();
    const stuck = await Agent.enroll();
    const operations = await Promise.all(
      [silent, stuck].map(async (agent) => {
        const operation = await upgrade(agent);
        await prepare(agent, operation);
        expect((await pollFor(agent, operation)).action).toBe('flash');
        await agent.report(operation, 'flashing');
        return operation;
      }),
    );
    // The stuck router never rebooted: its agent polls on the same boot.
    await stuck.poll();
    // The harness's reboot wait: 0.05 s + 5 s (upgrade_timeout) + 40 × 0.05 s.
    const [gone, same] = await Promise.all(operations.map((operation) => h.waitForEnd(operation, 20_000)));
    expect(gone).toMatchObject({ status: 'failed', error_code: 'unreachable-after-flash' });
    expect(same).toMatchObject({ status: 'failed', error_code: 'not-flashed' });
    expect(same!.log).toContain('still polls on the same boot');
  }, 30_000);

  it('hands a flashed operation to the next worker, which proves the boot from the reports', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    await prepare(agent, operation);
    expect((await pollFor(agent, operation)).action).toBe('flash');
    await h.stopWorker();
    await agent.report(operation, 'flashing');
    await agent.report(operation, 'booted', { boot_id: 'boot-after-takeover', release: '23.05.3' });
    await h.startWorker();
    const end = await h.waitForEnd(operation);
    expect(end.status, end.log).toBe('success');
    expect(end.log).toContain('A previous worker ordered the flash');
  });

  it('decides an operation whose agent never takes the job (pickup timeout)', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    const end = await h.waitForEnd(operation, 15_000);
    // No retries here: the engine ends the unreachable attempt as max-retries-exceeded.
    expect(end).toMatchObject({ status: 'failed', error_code: 'max-retries-exceeded' });
    expect(end.log).toContain("The device's agent did not take the job within 1.5 s");
  });

  it('decides an operation whose agent falls silent while preparing (report timeout)', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    expect((await pollFor(agent)).action).toBe('upgrade');
    await agent.report(operation, 'downloading', { bytes: '10' });
    const end = await h.waitForEnd(operation, 15_000);
    expect(end.status).toBe('failed');
    expect(end.log).toContain('sent no report for 1.5 s');
    // The agent that comes back is told to stop.
    expect((await agent.poll(operation)).lines).toMatchObject({ action: 'cancel', operation });
  });

  it('tells the agent to cancel when a person cancels before the flash', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    expect((await pollFor(agent)).action).toBe('upgrade');
    await agent.report(operation, 'downloading', { bytes: '10' });
    expect((await h.api.post(`/api/v1/firmware/upgrade-operation/${operation}/cancel/`)).statusCode).toBe(200);
    expect((await agent.report(operation, 'downloaded')).lines).toEqual({ action: 'cancel', operation });
    expect((await pollFor(agent, operation)).action).toBe('cancel');
    expect((await h.waitForEnd(operation)).status).toBe('cancelled');
  });

  it("refuses another device's operation and ticket with 404", async () => {
    const owner = await Agent.enroll();
    const other = await Agent.enroll();
    const operation = await upgrade(owner, 'best-effort');
    const job = await pollFor(owner);
    const report = await other.report(operation, 'log', { message: 'not mine' });
    expect(report.status).toBe(404);
    expect(report.lines.code).toBe('OperationNotFound');
    const forged = job.image_url!.replace(/\/[^/]+$/, '/1999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await fetch(forged)).status).toBe(404);
    const otherOperation = await upgrade(other);
    const swapped = job.image_url!.replace(operation, otherOperation);
    expect((await fetch(swapped)).status).toBe(404);
    // A backup upload must be a sysupgrade -b archive.
    const notArchive = await fetch(job.backup_url!, { method: 'POST', body: 'not a tar' });
    expect(notArchive.status).toBe(400);
    expect(parseLines(await notArchive.text()).detail).toContain('not a readable sysupgrade -b archive');
    // Downloads are limited per device (5 a minute here; the refused ones above did not count).
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      const response = await fetch(job.image_url!, { headers: { range: 'bytes=0-0' } });
      statuses.push(response.status);
      if (response.status === 429) expect(parseLines(await response.text()).retry_after).toMatch(/^\d+$/);
      else await response.arrayBuffer();
    }
    expect(statuses).toEqual([206, 206, 206, 206, 206, 429]);
    for (const id of [operation, otherOperation]) await h.api.post(`/api/v1/firmware/upgrade-operation/${id}/cancel/`);
  });

  it('leaves devices managed by their agent out of the SSH reachability check', async () => {
    const agent = await Agent.enroll();
    // An address and a host key kept from the days it was managed over SSH.
    await h.db
      .updateTable('devices')
      .set({ managementIp: '127.0.0.1', sshHostKey: 'SHA256:kept', lastSeen: null })
      .where('id', '=', agent.deviceId)
      .execute();
    const due = await claimDevicesDueForContact(h.db, { staleBefore: new Date(Date.now() + 60_000), limit: 1000 });
    expect(due.map((device) => device.id)).not.toContain(agent.deviceId);
  });
});

describe('device tokens', () => {
  it('rotates (the old token hands over the new one until it is used) and revokes', async () => {
    const agent = await Agent.enroll();
    const rotated = await h.api.post(`/api/v1/devices/${agent.deviceId}/agent-token/rotate/`);
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.json()).toMatchObject({ rotation_pending: true });
    const oldToken = agent.token;
    const asked = Date.now();
    const handover = await agent.poll();
    expect(Date.now() - asked).toBeLessThan(1500); // not held for the long poll (2 s)
    expect(handover.lines.token).toMatch(/^ffa_/);
    expect(handover.lines.token).not.toBe(oldToken);
    agent.token = handover.lines.token!;
    expect((await agent.poll()).status).toBe(200);
    expect((await post('/agent/v1/poll', { token: oldToken })).status).toBe(401);

    const audit = (await h.api.get(`/api/v1/audit-log/?action=device.agent_token_rotated`)).json();
    expect(audit.results.some((entry: { target_id: string }) => entry.target_id === agent.deviceId)).toBe(true);
    expect((await h.api.delete(`/api/v1/devices/${agent.deviceId}/agent-token/`)).statusCode).toBe(204);
    const refused = await agent.poll();
    expect(refused.status).toBe(401);
    expect(refused.lines.code).toBe('AgentTokenInvalid');
  });
});

describe('a mass upgrade of agent and SSH routers together', () => {
  it('warns in the dry run that option n leaves agent devices behind unless the image embeds the agent', async () => {
    const agent = await Agent.enroll();
    const ssh = await h.addRouter();
    const target = await h.addImage({ size: 4096 });
    const preview = (options: Record<string, boolean>) =>
      h.api.post(`/api/v1/firmware/build/${target.buildId}/upgrade/dry-run/`, {
        upgrade_all: true,
        devices: [agent.deviceId, ssh.deviceId],
        upgrade_options: options,
      });
    const discarding = await preview({ n: true });
    expect(discarding.statusCode, discarding.body).toBe(200);
    expect(discarding.json().warnings).toEqual([
      expect.objectContaining({ code: 'agent-settings-discarded', devices: [agent.deviceId] }),
    ]);
    expect((await preview({})).json().warnings).toEqual([]);
    const options = (await h.api.get(`/api/v1/firmware/device/${agent.deviceId}/upgrade-options/`)).json();
    expect(options.upgrader).toBe('agent');
    expect(options.options.find((option: { key: string }) => option.key === 'n').description).toContain(
      'embeds the agent',
    );
  });

  it('upgrades both in one batch', async () => {
    await h.newCategory();
    const target = await h.addImage({ size: 4096 });
    const ssh = await h.addRouter();
    const agent = await Agent.enroll();
    const launched = await h.api.post(`/api/v1/firmware/build/${target.buildId}/upgrade/`, {
      upgrade_all: true,
      devices: [ssh.deviceId, agent.deviceId],
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const job = await pollFor(agent);
    const operation = job.operation!;
    expect(job.action).toBe('upgrade');
    for (const step of ['downloaded', 'verified']) await agent.report(operation, step);
    if (job.backup !== 'off') {
      const archive = writeConfigArchive(new Map([['etc/config/system', 'config system\n']]));
      expect((await fetch(job.backup_url!, { method: 'POST', body: archive })).status).toBe(200);
      await agent.report(operation, 'backup', { message: 'uploaded' });
    }
    await agent.report(operation, 'ready');
    expect((await pollFor(agent, operation)).action).toBe('flash');
    await agent.report(operation, 'flashing');
    await agent.report(operation, 'booted', { boot_id: 'mass-boot', release: '23.05.3' });
    const batchId = launched.json().batch as string;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const batch = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json();
      if (batch.status === 'success') break;
      if (Date.now() > deadline) throw new Error(`batch not done: ${JSON.stringify(batch)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const operations = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/operations/`)).json();
    expect(operations.results.map((row: { status: string }) => row.status)).toEqual(['success', 'success']);
  });
});

describe('the agent script and installer', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-agent-scripts-'));
    writeFileSync(path.join(dir, 'fleetflash-agent.sh'), '#!/bin/sh\necho agent\n');
    t = await createTestApp({}, { agentScriptsDir: dir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the script as it is, and a clear 404 for a missing installer', async () => {
    const script = await t.app.inject({ method: 'GET', url: '/agent/fleetflash-agent.sh' });
    expect(script.statusCode).toBe(200);
    expect(script.body).toBe('#!/bin/sh\necho agent\n');
    const missing = await t.app.inject({ method: 'GET', url: '/agent/install.sh' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('install.sh is not installed on this server');
  });
});
