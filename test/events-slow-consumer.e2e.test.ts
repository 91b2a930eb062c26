import { connect, type AddressInfo, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_CHANNEL } from '../src/platform/events.js';
import { createTestApp, readMetric, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { openStream, type OpenStream } from './helpers/sse.js';

/**
 * A client that stops reading its event stream: the server does not hold an unbounded backlog for
 * it (`events.stream_max_buffer`, 64 KiB here) but closes the stream, and the client, resuming with
 * the last id it fully received, gets every event after it: nothing lost, nothing twice.
 */

const EVENTS = 3000;
const PADDING = 'x'.repeat(4000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ FLEETFLASH_EVENTS_STREAM_MAX_BUFFER: '65536' });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
});
const sockets: Socket[] = [];
const streams: OpenStream[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const stream of streams) stream.close();
  await t?.close();
});

async function openStreams(): Promise<number> {
  return readMetric(t, 'fleetflash_event_streams_open');
}

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a client that does not read its event stream', () => {
  it('is disconnected once its backlog passes events.stream_max_buffer; it resumes losing no event', async () => {
    const organization = await makeOrganization(t.db);
    const user = await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] });
    const token = await makeToken(t.db, user);
    const port = (t.app.server.address() as AddressInfo).port;

    // A raw client that reads the response head, then nothing more.
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    let closed = false;
    socket.on('close', () => {
      closed = true;
    });
    socket.write(`GET /api/v1/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${token}\r\n\r\n`);
    await waitUntil(() => received.includes(': connected'), 'the stream to open');
    socket.pause();

    // ~12 MB of events at once: more than the socket buffers of loopback and the 64 KiB allowed.
    await sql`
      INSERT INTO events (type, organization_id, data)
      SELECT 'batch', ${organization.id}, jsonb_build_object('n', n, 'padding', ${PADDING}::text)
      FROM generate_series(1, ${EVENTS}) AS n`.execute(t.db);
    await sql`SELECT pg_notify(${EVENTS_CHANNEL}, '')`.execute(t.db);
    const ids = (
      await t.db.selectFrom('events').select('id').where('organizationId', '=', organization.id).orderBy('id').execute()
    ).map((row) => Number(row.id));
    expect(ids).toHaveLength(EVENTS);

    await waitUntil(async () => (await openStreams()) === 0, 'the server to close the stalled stream');
    // The client reads what reached it, then sees the end.
    socket.resume();
    await waitUntil(() => closed, 'the client to see the stream end');
    const body = received.slice(received.indexOf('\r\n\r\n') + 4);
    // Only complete blocks count: a client discards an event cut short.
    const blocks = body.slice(0, body.lastIndexOf('\n\n')).split('\n\n');
    const first = blocks
      .filter((block) => block.includes('\ndata: '))
      .map((block) => Number(/^id: (\d+)$/m.exec(block)![1]));
    const lastEventId = Number(
      blocks
        .map((block) => /^id: (\d+)$/m.exec(block)?.[1])
        .filter((id) => id !== undefined)
        .at(-1),
    );
    expect(first.length).toBeLessThan(EVENTS);
    expect(lastEventId).toBeLessThan(ids.at(-1)!);

    // A reconnection with Last-Event-ID gets the rest, once.
    const resumed = await openStream(`http://127.0.0.1:${port}/api/v1/events/`, {
      authorization: token,
      'last-event-id': String(lastEventId),
    });
    streams.push(resumed);
    expect(resumed.status).toBe(200);
    await resumed.waitFor(
      (messages) => messages.some((message) => message.id === ids.at(-1)),
      15_000,
      'the last event after resuming',
    );
    const second = resumed.messages.map((message) => message.id);
    expect([...first, ...second]).toEqual(ids);
  });
});
