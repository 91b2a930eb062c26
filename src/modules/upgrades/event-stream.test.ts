import { describe, expect, it } from 'vitest';
import type { EventPump } from '../../platform/events.js';
import { EventStream, type EventStreamOptions } from './event-stream.js';

/** The parts of a response the start of a stream uses, recording what is written and whether it ended. */
function fakeResponse() {
  const written: string[] = [];
  let ended: string | null = null;
  const raw = {
    destroyed: false,
    writableLength: 0,
    write: (chunk: string) => written.push(chunk) > 0,
    end: (chunk?: string) => {
      ended = chunk ?? '';
    },
    on: () => raw,
    once: () => raw,
  };
  return { raw, written, ended: () => ended };
}

describe('EventStream.start', () => {
  it('ends the stream with a retry when the newest event cannot be read, and subscribes to nothing', async () => {
    const response = fakeResponse();
    let subscribed = false;
    const warnings: string[] = [];
    const events = {
      catchUp: () => Promise.reject(new Error('connection terminated unexpectedly')),
      position: 0,
      subscribe: () => {
        subscribed = true;
        return { close: () => {} };
      },
    } as unknown as EventPump;
    const stream = new EventStream({
      events,
      raw: response.raw,
      log: { warn: (_detail: unknown, message: string) => warnings.push(message) },
      actor: { userId: 'u' },
      filter: { organizationIds: null },
      resumeFrom: undefined,
      maxLifetimeMs: 60_000,
      recheckIntervalMs: 60_000,
      maxBufferBytes: 1024,
    } as unknown as EventStreamOptions);
    await stream.start();
    expect(response.ended()).toMatch(/^retry: \d+\n\n$/);
    expect(response.written).toEqual([]);
    expect(subscribed).toBe(false);
    expect(warnings).toEqual(['an event stream could not read the newest event: ended']);
  });
});
