import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AsuDeps } from './asu-deps.js';
import {
  AsuBuildsByVersionDto,
  AsuBuildsPerDayDto,
  AsuBuildStatsDto,
  AsuQueueDto,
  AsuStatsSummaryDto,
  AsuTopPackagesDto,
} from './asu.schema.js';
import * as asuService from './asu.service.js';

const tags = ['image builds (ASU)'];
const Days = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) });

/** Statistics of the image builds, from the database. */
export const asuStatsRoutes: FastifyPluginAsyncTypebox<AsuDeps> = async (app, { db }) => {
  app.get(
    '/api/v1/stats',
    {
      config: { public: true },
      schema: { tags, summary: 'Queue length', response: { 200: AsuQueueDto } },
    },
    async () => asuService.queueLength(db),
  );
  app.get(
    '/api/v1/stats/summary',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Requests, cache hits and misses, successes and failures',
        querystring: Days,
        response: { 200: AsuStatsSummaryDto },
      },
    },
    async (request) => asuService.statsSummary(db, request.query.days ?? 30),
  );
  app.get(
    '/api/v1/stats/builds',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Successes and failures per version, target and profile',
        querystring: Days,
        response: { 200: AsuBuildStatsDto },
      },
    },
    async (request) => asuService.buildStats(db, request.query.days ?? 30),
  );
  app.get(
    '/api/v1/builds-per-day',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Requests, cache hits and failures per day (30 days)',
        response: { 200: AsuBuildsPerDayDto },
      },
    },
    async () => asuService.buildsPerDay(db),
  );
  app.get(
    '/api/v1/builds-by-version',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Successful builds per week (26 weeks), per branch, or per version of one branch',
        querystring: Type.Object({
          branch: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]*$', maxLength: 32 })),
        }),
        response: { 200: AsuBuildsByVersionDto },
      },
    },
    async (request) => asuService.buildsByVersion(db, request.query.branch || undefined),
  );
  app.get(
    '/api/v1/top-packages',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Packages most often added to images (30 days)',
        querystring: Type.Object({
          branch: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]*$', maxLength: 32 })),
          n: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
        }),
        response: { 200: AsuTopPackagesDto },
      },
    },
    async (request) => asuService.topPackages(db, request.query.n ?? 30, request.query.branch),
  );
  app.get(
    '/api/v1/build-errors',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Recent build failures (text)',
        querystring: Type.Object({ n: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }),
        response: { 200: Type.String({ description: 'text/plain' }) },
      },
    },
    async (request, reply) =>
      reply.type('text/plain; charset=utf-8').send(await asuService.buildErrorsText(db, request.query.n ?? 100)),
  );
};
