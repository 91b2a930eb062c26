import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentProtocolFixture, startAgentProtocolFixture } from './helpers/agent-protocol-fixture.js';
import { type BusyboxRouter, startBusyboxRouter, skipWithoutBusyboxRouter } from './helpers/busybox-router.js';
import { until } from './helpers/wait.js';

/**
 * The agent script (agent/fleetflash-agent.sh) under real busybox ash when things go wrong: attempts the
 * server gave up, a lost flash order, a restart mid-job, a throttled report, a refused token. Against the
 * scripted peer of test/helpers/agent-protocol-fixture.ts; the ordinary paths: test/agent-script.e2e.test.ts.
 */

const skip = skipWithoutBusyboxRouter(import.meta.url);

let server: AgentProtocolFixture;
let router: BusyboxRouter;

async function start(env: Record<string, string> = {}): Promise<void> {
  server = await startAgentProtocolFixture();
  router = startBusyboxRouter({ env });
  const result = await router.agent(['enroll', server.url, 'acme', server.secret]);
  expect(result.code, result.stderr).toBe(0);
}

afterEach(async () => {
  await router?.stop();
  await server?.close();
});

function steps(): string[] {
  return server.reports().map((report) => (report.code ? `${report.step}:${report.code}` : report.step!));
}

async function untilStep(step: string, timeoutMs = 20_000): Promise<void> {
  const seen = await until(
    async () => steps(),
    (list) => list.includes(step),
    timeoutMs,
  );
  expect(seen, router.serviceLog()).toContain(step);
}

const polls = () => server.requests.filter((request) => request.path === '/agent/v1/poll');

describe.skipIf(skip)('the agent script when things go wrong', () => {
  it('sends the attempt with every report and says it is ready in its polls', async () => {
    await start();
    const operation = randomUUID();
    server.offerJob({ operation, image: randomBytes(20_000) }, { attempt: '3' });
    router.startService();
    await untilStep('ready');
    expect(server.reports().map((report) => report.attempt)).toEqual(server.reports().map(() => '3'));
    // Polls while ready say so (the server sends a lost flash order again) and the long poll the agent waits.
    await until(
      async () => polls().at(-1)!.form,
      (form) => form.operation === operation,
    );
    expect(polls().at(-1)!.form).toMatchObject({ operation, phase: 'ready', long_poll: '2' });
  });

  it('forgets an attempt whose report is answered cancel and takes the next attempt of the operation', async () => {
    await start();
    const operation = randomUUID();
    server.cancelOnNextReport();
    server.offerJob({ operation, image: randomBytes(20_000) }, { attempt: '1' });
    router.startService();
    await untilStep('checked');
    server.offerJob({ operation, image: randomBytes(20_000) }, { attempt: '2' });
    await untilStep('ready');
    const reports = server.reports();
    expect(reports[0]).toMatchObject({ step: 'checked', attempt: '1', seq: '1' });
    // The next attempt's reports go on numbering after the refused one.
    expect(reports.slice(1).every((report) => report.attempt === '2')).toBe(true);
    expect(reports[1]!.seq).toBe('2');
    const second = polls().findIndex((poll, index) => index > 0 && poll.form.operation === '');
    expect(second).toBeGreaterThan(-1);
  });

  it('keeps the attempt through the flash and sends it with the boot report', async () => {
    await start();
    const operation = randomUUID();
    router.setNextRelease('OpenWrt 23.05.3 r23809-234f1a2efa');
    server.offerJob({ operation, image: randomBytes(20_000) }, { attempt: '1' });
    router.startService();
    await untilStep('ready');
    server.answerPoll(`action=flash\noperation=${operation}\n`);
    await untilStep('booted');
    expect(router.flashes()).toHaveLength(1);
    expect(server.reports().at(-1)).toMatchObject({ step: 'booted', attempt: '1' });
  });

  it('polls naming no operation after a restart mid-job, and resumes the download', async () => {
    await start();
    const operation = randomUUID();
    const image = randomBytes(200_000);
    await router.shell('mkdir -p /etc/fleetflash /tmp');
    router.writeRootFile('etc/fleetflash/state', `operation=${operation}\nseq=4\nphase=working\nkind=upgrade\n`);
    router.writeRootFile('tmp/fleetflash-image.bin', 'x'.repeat(50_000));
    router.startService();
    await until(
      async () => polls().length,
      (count) => count >= 1,
    );
    expect(polls()[0]!.form.operation).toBe('');
    // The server hands the job out again: the report numbers go on, the download resumes after the kept bytes.
    server.offerJob({ operation, image });
    await untilStep('downloaded');
    expect(server.reports()[0]!.seq).toBe('4');
    const downloads = server.requests.filter((request) => request.path.includes('/images/'));
    expect(downloads[0]!.range).toBe('bytes=50000-');
  });

  it('retries a report answered 429 with the same number, and says it is uploading a backup', async () => {
    await start();
    server.failNextReports(2, 429);
    server.offerJob({ operation: randomUUID(), image: randomBytes(20_000), backup: 'required' }, { attempt: '1' });
    router.startService();
    await untilStep('ready');
    const checked = server.requests.filter((request) => request.form.step === 'checked');
    expect(checked.map((request) => request.form.seq)).toEqual(['1', '1', '1']);
    // One report per number (the 429 answers were not taken), in order.
    const taken = [...new Map(server.reports().map((report) => [report.seq, report])).values()];
    expect(taken.map((report) => report.step).slice(0, 3)).toEqual(['checked', 'log', 'backup']);
    expect(taken[1]!.message).toContain('uploading');
  });

  it('polls again with its stored token a while after a 401', async () => {
    await start({ FLEETFLASH_AGENT_UNAUTHORIZED_REPOLL: '2' });
    server.pollStatus(401);
    router.startService();
    await until(
      async () => polls().length,
      (count) => count >= 2,
      15_000,
    );
    expect(polls().length).toBeGreaterThanOrEqual(2);
    server.pollStatus(200);
    const before = polls().length;
    await until(
      async () => polls().length,
      (count) => count >= before + 2,
      15_000,
    );
    expect(polls().every((poll) => poll.form.token === server.token)).toBe(true);
  });
});
