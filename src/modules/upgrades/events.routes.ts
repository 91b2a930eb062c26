import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { errorResponses, Uuid } from '../../http/schemas.js';
import { AppError } from '../../platform/errors.js';
import { replayEvents, type EventFilter, type EventRow } from '../../platform/events.js';
import { readableOrganizationIds } from '../accounts/actor.js';
import { findVisibleOrganizationBySlug } from '../accounts/organization.service.js';
import { getDevice } from '../devices/device.service.js';
import { getBatch } from './batch.service.js';
import { getOperation } from './operation.service.js';

/** Events replayed at most on a resume; a client further behind reloads the state instead. */
const REPLAY_LIMIT = 10_000;
const KEEP_ALIVE_MS = 15_000;

function format(event: EventRow): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.data, at: event.at })}\n\n`;
}

/**
 * Server-Sent Events: every change of operations (status, progress), their new log lines, and
 * mass upgrade aggregates, as they are committed in any process. Filtered by batch, operation,
 * device or organization, limited to the caller's organizations; a client that reconnects with
 * Last-Event-ID (browsers do it by themselves) gets what it missed, then the live stream.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, events }) => {
  app.get('/api/v1/events/', {
    schema: {
      tags: ['events'],
      summary: 'Live events (Server-Sent Events): operations, log lines, mass upgrades, image builds',
      description: 'Event types: `operation` (id, device, batch, status, progress, attempt, error_code, flash_started), `log` (operation, seq, level, message), `batch` (id, status, current_stage, counts, progress, pause_reason), `build` (request_hash, status, imagebuilder_status, detail, error_code; only with the `build` filter unless you are a superuser). Each event has an id; reconnect with the `Last-Event-ID` header (or `last_event_id`) to resume. Batch aggregates are published when they change, not per log line.',
      querystring: Type.Object({
        batch: Type.Optional(Uuid),
        operation: Type.Optional(Uuid),
        device: Type.Optional(Uuid),
        organization: Type.Optional(Type.String({ description: 'Organization slug.' })),
        build: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Request hash of an image build: only its `build` events (status, imagebuilder_status).' })),
        last_event_id: Type.Optional(Type.Integer({ minimum: 0, description: 'Resume after this event id (same as the Last-Event-ID header).' })),
      }),
      response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const query = request.query;
    const filter: EventFilter = { organizationIds: readableOrganizationIds(actor) };
    if (query.batch !== undefined) filter.batchId = (await getBatch(db, actor, query.batch)).batch.id;
    if (query.operation !== undefined) filter.operationId = (await getOperation(db, actor, query.operation)).id;
    if (query.device !== undefined) filter.deviceId = (await getDevice(db, actor, query.device)).id;
    if (query.organization !== undefined) {
      const organization = await findVisibleOrganizationBySlug(db, actor, query.organization);
      if (!organization) throw new AppError('OrganizationNotFound', `Organization "${query.organization}" not found.`);
      filter.organizationId = organization.id;
    }
    if (query.build !== undefined) filter.buildHash = query.build;
    const header = request.headers['last-event-id'];
    const resumeFrom = query.last_event_id ?? (typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined);

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    raw.write('retry: 2000\n: connected\n\n');

    // Subscribe first and hold live events back while the missed ones are replayed: no gap, no duplicate.
    let lastSent = resumeFrom ?? events.position;
    let held: EventRow[] | null = resumeFrom !== undefined ? [] : null;
    const send = (event: EventRow) => {
      if (event.id <= lastSent) return;
      lastSent = event.id;
      raw.write(format(event));
    };
    const subscription = events.subscribe(filter, (event) => (held ? held.push(event) : send(event)));
    const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    request.raw.on('close', () => {
      subscription.close();
      clearInterval(keepAlive);
    });
    if (resumeFrom !== undefined) {
      try {
        for (const event of await replayEvents(db, resumeFrom, filter, REPLAY_LIMIT)) send(event);
      } catch (error) {
        request.log.warn({ err: error }, 'could not replay events');
      }
      const waiting = held!;
      held = null;
      for (const event of waiting) send(event);
    }
  });
};
