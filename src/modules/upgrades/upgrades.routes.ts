import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated, PaginationQuery } from '../../http/schemas.js';
import { AppError } from '../../platform/errors.js';
import { getDevice } from '../devices/device.service.js';
import type { BackupMode } from '../upgraders/backup-modes.js';
import * as deviceFirmwareService from './device-firmware.service.js';
import * as operationService from './operation.service.js';
import {
  DeviceFirmwareDto,
  ListOperationsQuery,
  LogLineDto,
  LogQuery,
  OperationDetailDto,
  OperationDto,
  OperationStatusSchema,
  PatchDeviceFirmwareBody,
  SetDeviceFirmwareBody,
  toDeviceFirmwareDto,
  toLogLineDto,
  toOperationDetailDto,
  toOperationDto,
  UpgradeOptionDefinitionDto,
} from './upgrades.schema.js';

export const upgradeRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config, upgraders }) => {
  const firmwareTags = ['device firmware'];
  const operationTags = ['upgrade operations'];

  app.get(
    '/api/v1/firmware/device/:id/firmware/',
    {
      schema: {
        tags: firmwareTags,
        summary: 'The image a device runs (or is being upgraded to)',
        params: IdParams,
        response: { 200: DeviceFirmwareDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { record, latestOperation } = await deviceFirmwareService.getDeviceFirmware(
        db,
        actorOf(request),
        request.params.id,
      );
      return toDeviceFirmwareDto(record, latestOperation);
    },
  );

  const setFirmware = async (
    deviceId: string,
    body: {
      image: string;
      installed?: boolean | undefined;
      upgrade_options?: Record<string, boolean | null> | undefined;
      ignore_maintenance_window?: boolean | undefined;
      backup?: BackupMode | undefined;
      health_check?: string | null | undefined;
    },
    actor: ReturnType<typeof actorOf>,
  ) =>
    deviceFirmwareService.setDeviceFirmware(db, actor, upgraders, deviceId, {
      image: body.image,
      installed: body.installed,
      upgradeOptions: body.upgrade_options,
      ignoreMaintenanceWindow: body.ignore_maintenance_window,
      backup: body.backup,
      healthCheck: body.health_check,
    });

  app.put(
    '/api/v1/firmware/device/:id/firmware/',
    {
      schema: {
        tags: firmwareTags,
        summary: 'Set the image of a device: upgrades it unless that image is already installed',
        description:
          'Starts exactly one upgrade when the image differs from the installed one (or "installed" is false) and ' +
          'answers with its operation; setting the installed image again does nothing. "installed": true records ' +
          'what the device runs without upgrading.',
        params: IdParams,
        body: SetDeviceFirmwareBody,
        response: { 200: DeviceFirmwareDto, 201: DeviceFirmwareDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await setFirmware(request.params.id, request.body, actorOf(request));
      return reply.code(result.created ? 201 : 200).send(toDeviceFirmwareDto(result.record, result.operation));
    },
  );

  app.patch(
    '/api/v1/firmware/device/:id/firmware/',
    {
      schema: {
        tags: firmwareTags,
        summary: 'Change the firmware record of a device (same rule as PUT)',
        params: IdParams,
        body: PatchDeviceFirmwareBody,
        response: { 200: DeviceFirmwareDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const image =
        request.body.image ??
        (await deviceFirmwareService.getDeviceFirmware(db, actor, request.params.id)).record.imageId;
      const result = await setFirmware(request.params.id, { ...request.body, image }, actor);
      return toDeviceFirmwareDto(result.record, result.operation);
    },
  );

  app.delete(
    '/api/v1/firmware/device/:id/firmware/',
    {
      schema: {
        tags: firmwareTags,
        summary: 'Forget which image a device runs (no effect on the device)',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deviceFirmwareService.deleteDeviceFirmware(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/firmware/device/:id/upgrade-options/',
    {
      schema: {
        tags: firmwareTags,
        summary: "The upgrade options the device's upgrader accepts (for forms)",
        params: IdParams,
        response: {
          200: Type.Object({ upgrader: Type.String(), options: Type.Array(UpgradeOptionDefinitionDto) }),
          ...errorResponses(400, 401, 404, 409),
        },
      },
    },
    async (request) => {
      const device = await getDevice(db, actorOf(request), request.params.id);
      const upgrader = upgraders.forDevice(device);
      if (!upgrader) throw new AppError('NoUpgrader', `No upgrader handles devices reporting the OS "${device.os}".`);
      return { upgrader: upgrader.name, options: [...upgrader.optionDefinitions] };
    },
  );

  app.get(
    '/api/v1/firmware/device/:id/upgrade-operation/',
    {
      schema: {
        tags: operationTags,
        summary: "A device's upgrade operations, newest first",
        params: IdParams,
        querystring: Type.Object({ ...PaginationQuery, status: Type.Optional(OperationStatusSchema) }),
        response: { 200: Paginated(OperationDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await getDevice(db, actor, request.params.id);
      const page = pageRequest(request.query);
      const { rows, count } = await operationService.listOperations(
        db,
        actor,
        { device: request.params.id, status: request.query.status as never },
        page,
      );
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toOperationDto));
    },
  );

  app.get(
    '/api/v1/firmware/upgrade-operation/',
    {
      schema: {
        tags: operationTags,
        summary: 'List upgrade operations, newest first',
        querystring: ListOperationsQuery,
        response: { 200: Paginated(OperationDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { organization, device, image, status, error_code: errorCode } = request.query;
      const { rows, count } = await operationService.listOperations(
        db,
        actorOf(request),
        { organization, device, image, status: status as never, errorCode },
        page,
      );
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toOperationDto));
    },
  );

  app.get(
    '/api/v1/firmware/upgrade-operation/:id/',
    {
      schema: {
        tags: operationTags,
        summary: 'An upgrade operation with its log',
        params: IdParams,
        response: { 200: OperationDetailDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const row = await operationService.getOperation(db, actor, request.params.id);
      return toOperationDetailDto(row, await operationService.getOperationLog(db, actor, row.id));
    },
  );

  app.get(
    '/api/v1/firmware/upgrade-operation/:id/log/',
    {
      schema: {
        tags: operationTags,
        summary: 'The log lines of an operation, optionally only those after a sequence number',
        params: IdParams,
        querystring: LogQuery,
        response: { 200: Type.Object({ results: Type.Array(LogLineDto) }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({
      results: (
        await operationService.getOperationLog(db, actorOf(request), request.params.id, request.query.after ?? 0)
      ).map(toLogLineDto),
    }),
  );

  app.post(
    '/api/v1/firmware/upgrade-operation/:id/cancel/',
    {
      schema: {
        tags: operationTags,
        summary: 'Cancel an upgrade (possible until flashing starts)',
        params: IdParams,
        response: { 200: OperationDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await operationService.cancelOperation(db, actor, request.params.id);
      return toOperationDto(await operationService.getOperation(db, actor, request.params.id));
    },
  );

  app.post(
    '/api/v1/firmware/upgrade-operation/:id/retry/',
    {
      schema: {
        tags: operationTags,
        summary: 'Retry a failed, aborted or cancelled upgrade (as a new operation)',
        params: IdParams,
        response: { 201: OperationDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await operationService.retryOperation(db, actor, upgraders, request.params.id);
      return reply.code(201).send(toOperationDto(await operationService.getOperation(db, actor, created.id)));
    },
  );
};
