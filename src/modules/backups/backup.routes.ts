import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, Paginated } from '../../http/schemas.js';
import { sendStoredFile } from '../../http/send-stored-file.js';
import * as backupService from './backup.service.js';
import {
  BackupParams,
  backupFileName,
  DeviceBackupDto,
  ListBackupsQuery,
  toDeviceBackupDto,
} from './backups.schema.js';

/**
 * Configuration backups of a device: listed by whoever may read the device (operators too); downloaded
 * only by those who may change it (admins), each download audited: an archive holds the router's secrets.
 */
export const backupRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config, storage }) => {
  const tags = ['devices'];

  app.get(
    '/api/v1/devices/:id/backups/',
    {
      schema: {
        tags,
        summary: "List a device's configuration backups (newest first)",
        description:
          'The archives sysupgrade -b wrote before each flash (the upgrade option "backup"), kept per the settings ' +
          'backups.keep_per_device and backups.max_age_days.',
        params: IdParams,
        querystring: ListBackupsQuery,
        response: { 200: Paginated(DeviceBackupDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { count, backups } = await backupService.listBackups(db, actorOf(request), request.params.id, page);
      const origin = config.server.publicUrl ?? `${request.protocol}://${request.host}`;
      const results = backups.map((backup) => toDeviceBackupDto(backup, origin));
      return pageResponse(request, config.server.publicUrl, page, count, results);
    },
  );

  app.route({
    method: ['GET', 'HEAD'],
    url: '/api/v1/devices/:id/backups/:backupId/download',
    exposeHeadRoute: false,
    schema: {
      tags,
      summary: 'Download a configuration backup',
      description:
        'Streams the gzip tar (Content-Disposition: attachment) with Content-Length, ETag (its sha256) and byte ' +
        "ranges. It is what sysupgrade -r restores on the router. It holds the router's secrets (/etc/shadow, " +
        "Wi-Fi and VPN keys), so only admins of the device's organization may download it (403 for operators); " +
        'every download is recorded in the audit log (backup.downloaded).',
      params: BackupParams,
      response: {
        200: { type: 'string', format: 'binary', description: 'The archive.' },
        206: { type: 'string', format: 'binary', description: 'The requested byte range.' },
        302: { type: 'null', description: 'Presigned downloads: fetch the file at Location (valid briefly).' },
        304: { type: 'null', description: 'Not modified (If-None-Match).' },
        ...errorResponses(400, 401, 403, 404, 416, 503),
      },
    },
    handler: async (request, reply) => {
      const { id, backupId } = request.params;
      const { backup, deviceName } = await backupService.downloadBackup(db, actorOf(request), id, backupId, {
        audit: request.method === 'GET',
      });
      const fileName = backupFileName(deviceName, backup);
      return sendStoredFile(request, reply, storage, { sha256: backup.sha256, size: backup.size, fileName });
    },
  });
};
