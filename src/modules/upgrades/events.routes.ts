import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { errorResponses, Uuid } from '../../http/schemas.js';
import { EventStream, resolveEventFilter } from './event-stream.js';

/**
 * Server-Sent Events: every change of operations (status, progress), their new log lines, and
 * mass upgrade aggregates, as they are committed in any process. Filtered by batch, operation,
 * device or organization, limited to the caller's organizations (re-checked when access changes);
 * a client that reconnects with Last-Event-ID (browsers do it by themselves) gets what it missed,
 * then the live stream.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, events, config }) => {
  app.get(
    '/api/v1/events/',
    {
      schema: {
        tags: ['events'],
        summary: 'Live events (Server-Sent Events): operations, log lines, mass upgrades, image builds',
        description:
          'Event types: `operation` (id, device, batch, kind, status, progress, attempt, error_code, flash_started), ' +
          '`log` (operation, seq, level, message), `batch` (id, status, current_stage, counts, progress, ' +
          'pause_reason), `build` (request_hash, status, imagebuilder_status, detail, error_code; only with the ' +
          '`build` filter unless you are a superuser). Each event has an id; reconnect with the ' +
          '`Last-Event-ID` header (or `last_event_id`; with both, the later id counts) to resume. The ' +
          'stream sets the last event id (an `id:` line without data) when it opens and before it ends at ' +
          'its lifetime, so a client that received no event still resumes without a gap. Batch ' +
          'aggregates are published when they change, not per log line. The stream ends after ' +
          '`events.stream_max_lifetime` (reconnect with Last-Event-ID: nothing is lost); it ends ' +
          'with `event: revoked` (data: reason, detail) when your token or session is revoked or ' +
          'expires, your account is deactivated, or what the stream follows is no longer ' +
          'visible to you; losing an organization narrows the stream at once.',
        querystring: Type.Object({
          batch: Type.Optional(Uuid),
          operation: Type.Optional(Uuid),
          device: Type.Optional(Uuid),
          organization: Type.Optional(Type.String({ description: 'Organization slug.' })),
          build: Type.Optional(
            Type.String({
              pattern: '^[0-9a-f]{64}$',
              description: 'Request hash of an image build: only its `build` events (status, imagebuilder_status).',
            }),
          ),
          last_event_id: Type.Optional(
            Type.Integer({
              minimum: 0,
              description:
                'Resume after this event id (same as the Last-Event-ID header; with both, the later id counts).',
            }),
          ),
        }),
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { last_event_id: lastEventId, ...query } = request.query;
      const filter = await resolveEventFilter(db, actor, query);
      const header = request.headers['last-event-id'];
      const headerId = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
      // Both may come: a browser reuses the URL (with the `last_event_id` the page resumed from) when
      // it reconnects by itself, and then sends the newer Last-Event-ID header. The later one wins.
      const given = [lastEventId, headerId].filter((id) => id !== undefined);
      const resumeFrom = given.length > 0 ? Math.max(...given) : undefined;
      // Before the headers: a database that does not answer is an error response, not a stream left open.
      await events.catchUp();

      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      const stream = new EventStream({
        db,
        events,
        actor,
        query,
        filter,
        resumeFrom,
        raw: reply.raw,
        log: request.log,
        maxLifetimeMs: config.events.streamMaxLifetime * 1000,
        recheckIntervalMs: config.events.accessRecheckInterval * 1000,
        maxBufferBytes: config.events.streamMaxBuffer,
      });
      await stream.start();
    },
  );
};
