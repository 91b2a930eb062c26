import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.js';
import { restoreBackup, restoreFailedOfBatch } from '../../use-cases/restore-backup.js';
import * as operationService from './operation.service.js';
import { OperationDto, toOperationDto } from './upgrades.schema.js';

const BackupParams = Type.Object({ id: Uuid, backupId: Uuid });

const RestoreBody = Type.Object({
  ignore_maintenance_window: Type.Optional(
    Type.Boolean({
      description:
        "Start now even if the device's maintenance window is closed (an admin's explicit choice; recorded on the " +
        'operation and in the audit log), as for a single upgrade.',
    }),
  ),
});

/** A restore may be asked for without a body (the options are optional): validated as an empty object. */
async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

const BatchRestoreDto = Type.Object(
  {
    operations: Type.Array(OperationDto, { description: 'The restore operations queued, one per device.' }),
    skipped: Type.Array(Type.Object({ device: Uuid, detail: Type.String() }), {
      description: 'Failed devices with a backup that could not be restored now, and why.',
    }),
  },
  { title: 'BatchRestore' },
);

/** Restores of configuration backups: one device's chosen backup, or the failed devices of a mass upgrade (admins). */
export const restoreRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, upgraders }) => {
  app.post(
    '/api/v1/devices/:id/backups/:backupId/restore',
    {
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ['devices'],
        summary: 'Restore a configuration backup on the device',
        description:
          'Queues an operation of kind "restore": the archive is sent to the router, sysupgrade -r restores it, the ' +
          'router reboots and must come back on the release it runs now (statuses and log as an upgrade). 409 ' +
          'UpgradeAlreadyRunning while another operation of the device is pending or running.',
        params: BackupParams,
        body: RestoreBody,
        response: { 201: OperationDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { id, backupId } = request.params;
      const created = await restoreBackup(db, actor, upgraders, id, backupId, {
        ignoreMaintenanceWindow: request.body.ignore_maintenance_window,
      });
      return reply.code(201).send(toOperationDto(await operationService.getOperation(db, actor, created.id)));
    },
  );

  app.post(
    '/api/v1/firmware/batch-upgrade-operation/:id/restore-failed/',
    {
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ['mass upgrades'],
        summary: 'Restore the pre-upgrade backup of the failed devices',
        description:
          'For each failed operation of the mass upgrade (the latest of its device) with a configuration backup ' +
          'taken before its flash, a restore of that backup (not part of the mass upgrade: its counts do not ' +
          'change). Devices that cannot be restored now are listed in skipped; 409 BatchStateConflict when no ' +
          'failed operation has a backup.',
        params: IdParams,
        body: RestoreBody,
        response: { 201: BatchRestoreDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await restoreFailedOfBatch(db, actor, upgraders, request.params.id, {
        ignoreMaintenanceWindow: request.body.ignore_maintenance_window,
      });
      const operations = [];
      for (const operation of result.operations)
        operations.push(toOperationDto(await operationService.getOperation(db, actor, operation.id)));
      return reply.code(201).send({ operations, skipped: result.skipped });
    },
  );
};
