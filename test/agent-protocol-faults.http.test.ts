import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigArchive } from '../simulator/config-archive.js';
import { LongPolls } from '../src/modules/agent/agent-long-poll.js';
import type { AgentUpgraderDeps } from '../src/modules/agent/agent-publish.js';
import { agentUpgrader } from '../src/modules/agent/agent.upgrader.js';
import { awaitAction } from '../src/modules/agent/agent.service.js';
import { FlashNotPerformed, type UpgradeContext } from '../src/modules/upgraders/upgrader.js';
import { redactUrl } from '../src/platform/log-redaction.js';
import { parseAgentLines, RawAgent } from './helpers/raw-agent.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * The pull agent's protocol when things go wrong on the way: lost answers, late reports of an earlier
 * attempt, a takeover before the flash was handed out, forged uploads. Plays the agent with fetch against
 * the real server and a real upgrade worker (test/agent.http.test.ts covers the ordinary paths).
 */

let h: Harness;
let base: string;
let secret: string;
let imageId: string;
let macCounter = 0;

type Lines = Record<string, string>;
const parseLines = (text: string): Lines => parseAgentLines(text).lines;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One router's agent as the 1.1.0 script behaves: it says its phase and sends the attempt with its reports. */
type Agent = RawAgent;
const Agent = {
  enroll(): Promise<Agent> {
    macCounter += 1;
    const mac = `02:dd:00:00:00:${macCounter.toString(16).padStart(2, '0')}`;
    return RawAgent.enroll({ base, organization: h.organizationSlug, secret, mac, version: '1.1.0' });
  },
};

async function upgrade(agent: Agent, backup = 'off'): Promise<string> {
  const response = await h.api.put(`/api/v1/firmware/device/${agent.deviceId}/firmware/`, { image: imageId, backup });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json().upgrade_operation.id as string;
}

const pollFor = (agent: Agent, operation = '', extra: Record<string, string> = {}): Promise<Lines> =>
  agent.nextAction(operation, extra);

/** Takes the job (keeping its attempt) and reports the steps up to `ready`. */
const prepare = (agent: Agent, operation: string): Promise<Lines> => agent.prepare(operation);

async function jobRow(operation: string) {
  return h.db.selectFrom('agentJobs').selectAll().where('operationId', '=', operation).executeTakeFirst();
}

beforeAll(async () => {
  h = await createHarness({
    FLEETFLASH_AGENT_LONG_POLL: '2',
    FLEETFLASH_AGENT_PICKUP_TIMEOUT: '1.5',
    FLEETFLASH_AGENT_REPORT_TIMEOUT: '1.5',
    // Room for a takeover counted as an attempt on a loaded machine (a lease of 2 s can run out in a stop).
    FLEETFLASH_RETRY_MAX_RETRIES: '3',
  });
  ({ base, secret } = await h.listenForAgents());
  imageId = (await h.addImage({ size: 4096 })).imageId;
  await h.startWorker();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('a lost flash order', () => {
  it('hands flash out again to the ready agent; one that never flashes ends not-flashed, told to cancel', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    await prepare(agent, operation);
    // The answer carrying the flash order is lost on the way.
    expect((await pollFor(agent, operation, { phase: 'ready' })).action).toBe('flash');
    expect(await pollFor(agent, operation, { phase: 'ready' })).toMatchObject({ action: 'flash', operation });
    // An agent that is not ready for it (it ignores flash) gets nothing: no loop of hand-outs.
    expect((await agent.poll(operation, { phase: 'working', long_poll: '1' })).lines.action).toBe('none');
    // It never flashes and keeps polling on the same boot until the reboot wait ends.
    let end: Awaited<ReturnType<Harness['waitForEnd']>> | null = null;
    const answers: Lines[] = [];
    const polling = (async () => {
      while (!end) {
        answers.push((await agent.poll(operation, { phase: 'working', long_poll: '1' })).lines);
        await sleep(200);
      }
    })();
    end = await h.waitForEnd(operation, 25_000);
    await polling;
    expect(end).toMatchObject({ status: 'failed', error_code: 'not-flashed' });
    expect(end.log).toContain('never started the flash');
    // The first poll after the end is told to cancel (the job is then forgotten).
    answers.push((await agent.poll(operation)).lines);
    expect(answers.filter((lines) => lines.action !== 'none')).toEqual([
      expect.objectContaining({ action: 'cancel', operation }),
    ]);
  }, 40_000);

  it('hands flash out again to an agent that does not say its phase, at most once per long poll', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    await prepare(agent, operation);
    expect((await pollFor(agent, operation)).action).toBe('flash');
    const asked = Date.now();
    // Not within a long poll (2 s) of the lost hand-out: the poll is held until then.
    expect((await agent.poll(operation)).lines).toMatchObject({ action: 'flash', operation });
    expect(Date.now() - asked).toBeGreaterThanOrEqual(1800);
    await agent.report(operation, 'flashing');
    // The agent started the flash: never again.
    expect((await agent.poll(operation, { phase: 'ready', long_poll: '1' })).lines.action).toBe('none');
    agent.bootId = 'boot-after-resend';
    agent.release = '23.05.3';
    await agent.report(operation, 'booted', { boot_id: agent.bootId, release: agent.release });
    expect((await h.waitForEnd(operation)).status).toBe('success');
  }, 30_000);

  it('hands nothing out to a poll whose agent hung up', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    await prepare(agent, operation);
    await expect.poll(async () => (await jobRow(operation))?.action, { timeout: 10_000 }).toBe('flash');
    const poll = { operation, phase: 'ready', resendAfterMs: 2000 };
    const answer = await awaitAction(h.db, new LongPolls(), agent.deviceId, poll, {
      holdMs: 1000,
      abort: AbortSignal.abort(),
    });
    expect(answer).toBeNull();
    expect((await jobRow(operation))?.deliveredAction).not.toBe('flash');
    await h.api.post(`/api/v1/firmware/upgrade-operation/${operation}/cancel/`);
    await h.waitForEnd(operation, 25_000);
  }, 30_000);

  it('cancels the job after a takeover when the flash was never handed out, so no poll can take it', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    await prepare(agent, operation);
    await expect.poll(async () => (await jobRow(operation))?.action, { timeout: 10_000 }).toBe('flash');
    await h.stopWorker();
    // What the next worker's resume does first: the flash was never handed out, so it is cancelled, in one
    // statement, before the attempt is given up; a poll in between cannot take it any more.
    const ctx = { operationId: operation, device: { id: agent.deviceId }, log: async () => {} };
    const upgrader = agentUpgrader({ db: h.db } as unknown as AgentUpgraderDeps);
    await expect(upgrader.verify(ctx as unknown as UpgradeContext)).rejects.toBeInstanceOf(FlashNotPerformed);
    expect((await jobRow(operation))?.action).toBe('cancel');
    expect((await agent.poll(operation, { phase: 'ready', long_poll: '1' })).lines.action).not.toBe('flash');
    await h.startWorker();
    await expect
      .poll(async () => (await h.api.get(`/api/v1/firmware/upgrade-operation/${operation}/`)).json().log as string, {
        timeout: 15_000,
      })
      .toContain('never received the order to flash');
    const job = await pollFor(agent, '').catch(async (error: Error) => {
      const { status, log } = (await h.api.get(`/api/v1/firmware/upgrade-operation/${operation}/`)).json();
      throw new Error(`${error.message}; the operation is ${status}:\n${log}`);
    });
    expect(job).toMatchObject({ action: 'upgrade', operation });
    await h.api.post(`/api/v1/firmware/upgrade-operation/${operation}/cancel/`);
    await h.waitForEnd(operation, 25_000);
  }, 40_000);
});

describe('attempts', () => {
  it('answers a late report of an earlier attempt with cancel and does not let it decide the next one', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    const first = await pollFor(agent);
    expect(first).toMatchObject({ action: 'upgrade', operation, attempt: '1' });
    agent.attempt = '1';
    await agent.report(operation, 'downloading', { bytes: '10' });
    // Silent past the report timeout: attempt 2 is published.
    await expect.poll(async () => (await jobRow(operation))?.attempt, { timeout: 15_000 }).toBe(2);
    const late = await agent.report(operation, 'failed', { code: 'checksum-mismatch', message: 'late' });
    expect(late.lines).toEqual({ action: 'cancel', operation });
    const stored = await h.db.selectFrom('agentReports').selectAll().where('operationId', '=', operation).execute();
    expect(stored.map((report) => report.step)).not.toContain('failed');
    // The agent forgot the job: its next poll gets the second attempt's.
    const second = await pollFor(agent, '');
    expect(second).toMatchObject({ action: 'upgrade', operation, attempt: '2' });
    agent.attempt = '2';
    for (const step of ['downloaded', 'verified', 'ready']) await agent.report(operation, step);
    expect((await pollFor(agent, operation, { phase: 'ready' })).action).toBe('flash');
    await agent.report(operation, 'flashing');
    await agent.report(operation, 'booted', { boot_id: 'boot-attempt-2', release: '23.05.3' });
    const end = await h.waitForEnd(operation);
    expect(end.status, end.log).toBe('success');
    expect(end.attempt).toBe(2);
    const reports = await h.db.selectFrom('agentReports').selectAll().where('operationId', '=', operation).execute();
    expect(reports.every((report) => report.attempt === 2)).toBe(true);
  }, 40_000);

  it('accepts reports without an attempt (agents 1.0.x) as before', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    expect((await pollFor(agent)).action).toBe('upgrade');
    agent.attempt = '';
    expect((await agent.report(operation, 'log', { message: 'an old agent' })).lines).toEqual({ ok: '1' });
    await h.api.post(`/api/v1/firmware/upgrade-operation/${operation}/cancel/`);
    await h.waitForEnd(operation, 25_000);
  }, 30_000);

  it('refuses a failure code outside the protocol with 400', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    agent.attempt = (await pollFor(agent)).attempt!;
    const refused = await agent.report(operation, 'failed', { code: 'disk-on-fire', message: 'smoke' });
    expect(refused.status).toBe(400);
    expect(refused.lines.detail).toContain('checksum-mismatch');
    await h.api.post(`/api/v1/firmware/upgrade-operation/${operation}/cancel/`);
    await h.waitForEnd(operation, 25_000);
  }, 30_000);
});

describe('the long poll setting', () => {
  it('sends long_poll in every poll answer and holds a poll no longer than the agent waits', async () => {
    const agent = await Agent.enroll();
    const started = Date.now();
    const idle = await agent.poll('', { long_poll: '1' });
    const held = Date.now() - started;
    expect(idle.lines).toMatchObject({ action: 'none', long_poll: '2', poll_interval: '60' });
    expect(held).toBeGreaterThanOrEqual(900);
    expect(held).toBeLessThan(1800);
    const operation = await upgrade(agent);
    expect(await pollFor(agent)).toMatchObject({ action: 'upgrade', long_poll: '2' });
    await h.api.post(`/api/v1/firmware/upgrade-operation/${operation}/cancel/`);
    await h.waitForEnd(operation, 25_000);
  }, 30_000);
});

describe('backup uploads', () => {
  /** Sends the headers of a large upload and a first chunk only; resolves with the status if answered. */
  function partialUpload(url: string): Promise<number | null> {
    return new Promise((resolve) => {
      const request = http.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(16 * 1024 * 1024) },
      });
      const timer = setTimeout(() => {
        request.destroy();
        resolve(null);
      }, 3000);
      request.on('response', (response) => {
        clearTimeout(timer);
        response.resume();
        request.destroy();
        resolve(response.statusCode ?? null);
      });
      request.on('error', () => {});
      request.write(Buffer.alloc(1024));
    });
  }

  it('refuses a bad ticket before reading the body, and an upload the job did not ask for', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent);
    const job = await pollFor(agent);
    const forged = job.backup_url!.replace(/\/[^/]+$/, '/1999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(await partialUpload(forged)).toBe(404);
    // The job's backup is off: nothing is taken even with the right ticket.
    const refused = await fetch(job.backup_url!, { method: 'POST', body: Buffer.from([0x1f, 0x8b]) });
    expect(refused.status).toBe(409);
    await h.api.post(`/api/v1/firmware/upgrade-operation/${operation}/cancel/`);
    await h.waitForEnd(operation, 25_000);
  }, 30_000);

  it('takes one upload per attempt, and a new attempt none of the earlier one', async () => {
    const agent = await Agent.enroll();
    const operation = await upgrade(agent, 'best-effort');
    const job = await pollFor(agent);
    const archive = writeConfigArchive(new Map([['etc/config/network', "config interface 'lan'\n"]]));
    expect((await fetch(job.backup_url!, { method: 'POST', body: archive })).status).toBe(200);
    const again = await fetch(job.backup_url!, { method: 'POST', body: archive });
    expect(again.status).toBe(409);
    expect(parseLines(await again.text()).code).toBe('Conflict');
    // The attempt ends (report timeout); the next one starts without the earlier attempt's archive.
    await expect.poll(async () => (await jobRow(operation))?.attempt, { timeout: 15_000 }).toBe(2);
    expect((await jobRow(operation))?.backupArchive).toBeNull();
    await h.api.post(`/api/v1/firmware/upgrade-operation/${operation}/cancel/`);
    await h.waitForEnd(operation, 25_000);
  }, 30_000);

  it('keeps ticket URLs and device tokens out of the log', () => {
    const ticket = '1999999999.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd';
    const operation = '0b3a1c52-3c4e-4f1a-9b1e-1f2a3b4c5d6e';
    expect(redactUrl(`/agent/v1/images/${operation}/${ticket}`)).toBe(`/agent/v1/images/${operation}/[redacted]`);
    expect(redactUrl(`/agent/v1/backups/${operation}/${ticket}?x=1`)).toBe(
      `/agent/v1/backups/${operation}/[redacted]?x=1`,
    );
    expect(redactUrl('/agent/v1/poll?t=ffa_abcdefghijklmnopqrstuvwxyz')).toBe('/agent/v1/poll?t=[redacted]');
    expect(redactUrl('/agent/fleetflash-agent.sh')).toBe('/agent/fleetflash-agent.sh');
  });
});
