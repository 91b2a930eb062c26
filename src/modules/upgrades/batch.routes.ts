import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, Paginated } from '../../http/schemas.js';
import { launchBatch } from '../../use-cases/launch-batch.js';
import * as batchService from './batch.service.js';
import * as operationService from './operation.service.js';
import { dryRun } from './batch-dry-run.js';
import { parseOrdering } from '../../http/ordering.js';
import { toBatchDto } from './batch-view.js';
import {
  BatchDto,
  BatchOperationsQuery,
  BatchSkipsQuery,
  DryRunBody,
  DryRunQuery,
  LaunchBody,
  ListBatchesQuery,
  RetryFailedQuery,
  SkipDto,
} from './batch.schema.js';
import { DryRunDto, toDryRunDto } from './batch-dry-run.schema.js';
import type { SkipReason } from './skip-reasons.js';
import { maxConcurrentWarnings, upgradeCapacity } from './upgrade-capacity.js';
import { OperationDto, toOperationDto } from './upgrades.schema.js';

export const batchRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config, upgraders }) => {
  const tags = ['mass upgrades'];

  const dryRunNote =
    'Changes nothing, so members who may only read (operators) may call it. Every device in scope appears once: ' +
    '`device_firmwares` (devices on a build of the category that would be upgraded), `devices` (devices not on the ' +
    'category that would be ' +
    'upgraded: only with upgrade_all), `skipped` (each with its reason); the three add up to `in_scope`. `stages` ' +
    'is the stage plan.';
  app.get(
    '/api/v1/firmware/build/:id/upgrade/',
    {
      schema: {
        tags,
        summary:
          'Dry run of a mass upgrade with the default rollout: which devices would be upgraded, which skipped and why',
        description: `${dryRunNote} To preview a launch with a rollout policy, POST its body to …/upgrade/dry-run/.`,
        params: IdParams,
        querystring: DryRunQuery,
        response: { 200: DryRunDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { upgrade_all: upgradeAll, group, location, organization, devices } = request.query;
      const allowDowngrade = request.query.allow_downgrade;
      return toDryRunDto(
        await dryRun(db, actorOf(request), upgraders, config, request.params.id, {
          upgradeAll: upgradeAll ?? false,
          group,
          location,
          organization,
          devices,
          allowDowngrade,
        }),
      );
    },
  );

  app.post(
    '/api/v1/firmware/build/:id/upgrade/dry-run/',
    {
      schema: {
        tags,
        summary:
          "Dry run of a mass upgrade with the launch's own fields (rollout included): exactly what that launch " +
          'would do',
        description:
          `${dryRunNote} The body takes the launch's plan fields (filters, upgrade_all, allow_downgrade, ` +
          `rollout); the stages are those the launch would run.`,
        params: IdParams,
        body: DryRunBody,
        response: { 200: DryRunDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const body = request.body;
      return toDryRunDto(
        await dryRun(db, actorOf(request), upgraders, config, request.params.id, {
          upgradeAll: body.upgrade_all ?? false,
          group: body.group,
          location: body.location,
          organization: body.organization,
          devices: body.devices,
          allowDowngrade: body.allow_downgrade,
          rollout: body.rollout,
          upgradeOptions: body.upgrade_options,
        }),
      );
    },
  );

  app.post(
    '/api/v1/firmware/build/:id/upgrade/',
    {
      schema: {
        tags,
        summary: 'Launch a mass upgrade of the devices that should run this build',
        description:
          'Every candidate gets an operation or a recorded skip with its reason. The rollout policy (optional) ' +
          'stages the upgrade: a canary, growing stages gated on their success rate, a failure threshold that ' +
          'pauses it, bake time, a concurrency cap, a start time. Answers 201 {"batch": id, "warnings": [...]}: ' +
          'a warning says when rollout.max_concurrent cannot be reached with the settings of the workers ' +
          '(GET /api/v1/firmware/upgrade-capacity/).',
        params: IdParams,
        body: LaunchBody,
        response: {
          201: Type.Object({
            batch: Type.String({ format: 'uuid' }),
            warnings: Type.Array(Type.String(), {
              description: 'Why the launch may not run as asked (the batch is launched all the same).',
            }),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const batch = await launchBatch(db, actorOf(request), upgraders, config, request.params.id, {
        upgradeAll: body.upgrade_all ?? false,
        group: body.group,
        location: body.location,
        organization: body.organization,
        devices: body.devices,
        allowDowngrade: body.allow_downgrade,
        upgradeOptions: body.upgrade_options,
        backup: body.backup,
        rollout: body.rollout,
        waitForOffline: body.wait_for_offline,
        offlineDeadlineSeconds: body.offline_deadline_seconds,
        maintenanceWindow: body.maintenance_window,
        healthCheck: body.health_check,
      });
      return reply
        .code(201)
        .header('location', `/api/v1/firmware/batch-upgrade-operation/${batch.id}/`)
        .send({ batch: batch.id, warnings: maxConcurrentWarnings(config, batch.maxConcurrent) });
    },
  );

  app.get(
    '/api/v1/firmware/upgrade-capacity/',
    {
      schema: {
        tags,
        summary: 'How many upgrades can run at once (the effective caps of the settings)',
        description:
          'Per worker process: operations held at once (waiting ones, such as devices rebooting, included), ' +
          'those with an SSH session open, image transfers; and the cap across every worker. A mass upgrade ' +
          'runs min(rollout.max_concurrent, global_operations) devices at once, given enough worker processes.',
        response: {
          200: Type.Object({
            per_worker_operations: Type.Integer(),
            per_worker_ssh_sessions: Type.Integer(),
            per_worker_transfers: Type.Integer(),
            global_operations: Type.Integer(),
            default_max_concurrent: Type.Integer(),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      actorOf(request);
      return upgradeCapacity(config);
    },
  );

  app.get(
    '/api/v1/firmware/batch-upgrade-operation/',
    {
      schema: {
        tags,
        summary: 'List mass upgrades, newest first',
        description:
          'Filter by build, status (or finished), and the time they were created (created_from, created_to).',
        querystring: ListBatchesQuery,
        response: { 200: Paginated(BatchDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { organization, build, status, finished, created_from: from, created_to: to } = request.query;
      const { rows, count } = await batchService.listBatches(
        db,
        actorOf(request),
        {
          organization,
          build,
          status,
          finished,
          createdFrom: from === undefined ? undefined : new Date(from),
          createdBefore: to === undefined ? undefined : new Date(to),
        },
        page,
      );
      return pageResponse(
        request,
        config.server.publicUrl,
        page,
        count,
        rows.map((view) => toBatchDto(view.batch, view.aggregate)),
      );
    },
  );

  app.get(
    '/api/v1/firmware/batch-upgrade-operation/:id/',
    {
      schema: {
        tags,
        summary: 'A mass upgrade: status, stage, counts, rates, progress',
        params: IdParams,
        response: { 200: BatchDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const view = await batchService.getBatch(db, actorOf(request), request.params.id);
      return toBatchDto(view.batch, view.aggregate);
    },
  );

  app.get(
    '/api/v1/firmware/batch-upgrade-operation/:id/operations/',
    {
      schema: {
        tags,
        summary:
          'The operations of a mass upgrade (a retried operation is shown as its retry), filterable and paginated',
        description:
          'Filter by status, stage, device name (search), failure_reason (exactly one group of failure_reasons) and ' +
          'error_code (the code whatever the status, pending operations waiting after it included); sort with ' +
          'ordering, e.g. `ordering=stage,status` (status sorts as an operation lives: pending, in-progress, ' +
          'success, failed, aborted, cancelled).',
        params: IdParams,
        querystring: BatchOperationsQuery,
        response: { 200: Paginated(OperationDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { status, stage, search, error_code: errorCode, failure_reason: failureReason } = request.query;
      const ordering = parseOrdering(
        request.query.ordering,
        operationService.OPERATION_ORDERING_FIELDS,
        operationService.DEFAULT_OPERATION_ORDERING,
      );
      const { rows, count } = await batchService.listBatchOperations(
        db,
        actorOf(request),
        request.params.id,
        { status, stage, search, errorCode, failureReason },
        page,
        ordering,
      );
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toOperationDto));
    },
  );

  app.get(
    '/api/v1/firmware/batch-upgrade-operation/:id/skipped/',
    {
      schema: {
        tags,
        summary: 'The devices a mass upgrade skipped, with the reason',
        params: IdParams,
        querystring: BatchSkipsQuery,
        response: { 200: Paginated(SkipDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { rows, count } = await batchService.listBatchSkips(
        db,
        actorOf(request),
        request.params.id,
        request.query.reason,
        page,
      );
      return pageResponse(
        request,
        config.server.publicUrl,
        page,
        count,
        rows.map((row) => ({
          device: row.deviceId,
          device_name: row.deviceName,
          reason: row.reason as SkipReason,
          detail: row.detail,
        })),
      );
    },
  );

  const actions = [
    { path: 'pause', summary: 'Pause: running operations finish, no new ones start', run: batchService.pauseBatch },
    {
      path: 'resume',
      summary: 'Resume a paused mass upgrade (a failed stage gate is accepted; the failure threshold counts from now)',
      run: batchService.resumeBatch,
    },
    { path: 'cancel', summary: 'Cancel: every operation not yet flashing is cancelled', run: batchService.cancelBatch },
  ] as const;
  for (const action of actions) {
    app.post(
      `/api/v1/firmware/batch-upgrade-operation/:id/${action.path}/`,
      {
        schema: {
          tags,
          summary: action.summary,
          params: IdParams,
          response: { 200: BatchDto, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const view = await action.run(db, actorOf(request), request.params.id);
        return toBatchDto(view.batch, view.aggregate);
      },
    );
  }

  app.post(
    '/api/v1/firmware/batch-upgrade-operation/:id/retry-failed/',
    {
      schema: {
        tags,
        summary: 'Retry the failed and aborted operations (new operations in the same stages)',
        description:
          'With error_code, only those that ended for that reason (one group of failure_reasons). 409 when none ' +
          'can be retried.',
        params: IdParams,
        querystring: RetryFailedQuery,
        response: { 200: BatchDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const view = await batchService.retryFailedInBatch(
        db,
        actorOf(request),
        request.params.id,
        request.query.error_code,
      );
      return toBatchDto(view.batch, view.aggregate);
    },
  );
};
