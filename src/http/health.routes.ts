import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppDeps } from './deps.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  version: Type.String(),
});

/** Liveness and readiness in one: 200 when the database answers within two seconds, else 503. */
export const healthRoutes: FastifyPluginAsyncTypebox<AppDeps & { version: string }> = async (app, { db, version }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        summary: 'Health check (checks the database)',
        response: { 200: Health, 503: Health },
      },
    },
    async (request, reply) => {
      try {
        await Promise.race([
          sql`SELECT 1`.execute(db),
          new Promise((_, reject) => setTimeout(() => reject(new Error('database check timed out')), 2000).unref()),
        ]);
        return { status: 'ok' as const, database: 'ok' as const, version };
      } catch (error) {
        request.log.warn({ err: error }, 'health check: database unavailable');
        return reply.code(503).send({ status: 'unavailable' as const, database: 'unavailable' as const, version });
      }
    },
  );
};
