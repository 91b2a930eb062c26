import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, Paginated } from '../../http/schemas.js';
import { attachmentDisposition } from '../../platform/content-disposition.js';
import { exportAuditLogFor, listAuditLogFor } from '../../use-cases/read-audit-log.js';
import { exportChunks } from './audit-export.js';
import { AuditEntryDto, AuditExportQuery, AuditLogQuery, toAuditEntryDto } from './audit.schema.js';
import type { AuditQuery } from './audit.service.js';

const tags = ['audit log'];

function auditQuery(query: {
  organization?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  target_type?: string | undefined;
  target_id?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  address?: string | undefined;
}): AuditQuery {
  return {
    organization: query.organization,
    actor: query.actor,
    action: query.action,
    targetType: query.target_type,
    targetId: query.target_id,
    from: query.from,
    to: query.to,
    address: query.address,
  };
}

export const auditRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config }) => {
  app.get(
    '/api/v1/audit-log/',
    {
      schema: {
        tags,
        summary: 'List audit-log entries, newest first',
        description:
          'Organization admins see the entries of the organizations they administer; superusers see every entry, ' +
          'the global ones (logins, users, shared catalog) included. Operators are refused (403).',
        querystring: AuditLogQuery,
        response: { 200: Paginated(AuditEntryDto), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { rows, count } = await listAuditLogFor(db, actorOf(request), auditQuery(request.query), page);
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toAuditEntryDto));
    },
  );

  app.get(
    '/api/v1/audit-log/export',
    {
      schema: {
        tags,
        summary: 'Download the audit-log entries of the filters as CSV or JSON, newest first',
        description:
          'Same filters and visibility as the list, without pages: every matching entry, streamed. CSV: UTF-8 with ' +
          "a byte order mark, every cell quoted; cells that a spreadsheet would read as a formula start with '.",
        querystring: AuditExportQuery,
        produces: ['text/csv', 'application/json'],
        response: {
          200: { type: 'string', format: 'binary', description: 'The CSV or JSON file.' },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'csv';
      // Checked, and the first page read, before the first byte goes out: a refusal or a failing query is
      // still a JSON error answer.
      const rows = await exportAuditLogFor(db, actorOf(request), auditQuery(request.query));
      const entries = (async function* () {
        for await (const row of rows) yield toAuditEntryDto(row);
      })();
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', attachmentDisposition(`fleetflash-audit-log-${stamp}.${format}`))
        .header('cache-control', 'no-store')
        .send(Readable.from(exportChunks(entries, format)));
    },
  );
};
