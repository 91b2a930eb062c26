import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';

/** The live event stream (Server-Sent Events) over real HTTP: content, filters, scoping, resume. */

let h: Harness;
let baseUrl: string;
let token: string;
beforeAll(async () => {
  h = await createHarness({ FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.05' });
  token = await makeToken(h.db, await makeUser(h.db, { isSuperuser: true }));
  await h.t.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

interface SseEvent {
  id: number;
  event: string;
  data: Record<string, any>;
}

/** Opens a stream and collects events until `until` says stop (or the timeout). */
async function collect(
  path: string,
  until: (events: SseEvent[]) => boolean,
  options: { headers?: Record<string, string>; timeoutMs?: number; onOpen?: () => Promise<void> } = {},
): Promise<SseEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: token, ...options.headers },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body!.getReader();
  let opened = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!opened && block.includes(': connected')) {
          opened = true;
          await options.onOpen?.();
        }
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
        );
        // A block with an id and no data only moves the resume point (at the start and the end).
        if (fields.id && fields.data !== undefined)
          events.push({ id: Number(fields.id), event: fields.event!, data: JSON.parse(fields.data!) });
      }
      if (until(events)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    throw new Error(`stream timed out with ${events.length} events: ${JSON.stringify(events.slice(-5))}`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

async function massUpgrade(count: number) {
  await h.newCategory();
  const old = await h.addImage({ os: null });
  const devices = [];
  for (let i = 0; i < count; i += 1) {
    const added = await h.addRouter();
    await h.markInstalled(added.deviceId, old.imageId);
    devices.push(added);
  }
  const target = await h.addImage();
  return { buildId: target.buildId, devices };
}

describe('GET /api/v1/events/', () => {
  it(
    'streams operation changes, log lines and batch aggregates of a mass upgrade, and resumes with ' + 'Last-Event-ID',
    async () => {
      const { buildId, devices } = await massUpgrade(3);
      let batchId = '';
      const batchDone = (events: SseEvent[]) =>
        events.some((event) => event.event === 'batch' && event.data.status === 'success');
      const events = await collect('/api/v1/events/', batchDone, {
        onOpen: async () => {
          const response = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
            rollout: { canary_count: 1 },
          });
          batchId = response.json().batch;
        },
      });
      const ids = events.map((event) => event.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);

      const operations = events.filter((event) => event.event === 'operation');
      for (const device of devices) {
        const mine = operations.filter((event) => event.data.device === device.deviceId);
        expect(mine.map((event) => event.data.status)).toContain('in-progress');
        expect(mine.at(-1)!.data).toMatchObject({ status: 'success', progress: 100, batch: batchId });
        const progress = mine.map((event) => event.data.progress as number);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
      }
      const logs = events.filter((event) => event.event === 'log');
      const firstOperation = operations[0]!.data.id;
      const seqs = logs.filter((event) => event.data.operation === firstOperation).map((event) => event.data.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(seqs.length).toBeGreaterThan(5);
      const batches = events.filter((event) => event.event === 'batch');
      expect(batches.at(-1)!.data).toMatchObject({
        id: batchId,
        status: 'success',
        counts: { success: 3 },
        progress: 100,
        progress_report: '3 out of 3',
      });
      // Debounced: far fewer batch events than operation and log events.
      expect(batches.length).toBeLessThan(operations.length + logs.length);
      expect(batches.map((event) => event.data.current_stage)).toContain(1);

      // Resume from the middle: exactly the events after it, for this batch.
      const middle = events[Math.floor(events.length / 2)]!.id;
      const expected = events.filter((event) => event.id > middle).map((event) => event.id);
      const resumed = await collect(
        `/api/v1/events/?batch=${batchId}`,
        (got) => got.length > 0 && got.at(-1)!.id >= expected.at(-1)!,
        { headers: { 'last-event-id': String(middle) } },
      );
      expect(resumed.map((event) => event.id)).toEqual(expected);
    },
  );

  it('filters by operation and device, and shows nothing of other organizations', async () => {
    const { router, deviceId } = await h.addRouter();
    void router;
    const { imageId } = await h.addImage();
    const operationId = await h.upgrade(deviceId, imageId);
    const events = await collect(`/api/v1/events/?operation=${operationId}&last_event_id=0`, (got) =>
      got.some((event) => event.event === 'operation' && event.data.status === 'success'),
    );
    expect(events.every((event) => event.data.id === operationId || event.data.operation === operationId)).toBe(true);
    const byDevice = await collect(`/api/v1/events/?device=${deviceId}&last_event_id=0`, (got) =>
      got.some((event) => event.data.status === 'success'),
    );
    expect(byDevice.length).toBeGreaterThan(0);

    // A member of another organization sees none of it, and cannot name it.
    const other = await makeOrganization(h.db);
    const outsider = await makeToken(
      h.db,
      await makeUser(h.db, { memberships: [{ organization: other, role: 'admin' }] }),
    );
    const forbidden = await fetch(`${baseUrl}/api/v1/events/?operation=${operationId}`, {
      headers: { authorization: outsider },
    });
    expect(forbidden.status).toBe(404);
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/v1/events/?last_event_id=0`, {
      headers: { authorization: outsider },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    const deadline = Date.now() + 500;
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 100)),
      ]);
      if (chunk && !chunk.done) text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(text).toContain(': connected');
    expect(text).not.toMatch(/^data:/m);

    const unauthenticated = await fetch(`${baseUrl}/api/v1/events/`);
    expect(unauthenticated.status).toBe(401);
  });
});
