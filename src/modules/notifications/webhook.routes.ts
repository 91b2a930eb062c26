import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated, PaginationQuery } from '../../http/schemas.js';
import { createAddressPolicy } from '../../platform/address-policy.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import {
  CreateWebhookBody,
  DeliveryDto,
  ListWebhooksQuery,
  TestDeliveryDto,
  toDeliveryDto,
  toWebhookDto,
  UpdateWebhookBody,
  WebhookDto,
  WebhookWithSecretDto,
} from './notifications.schema.js';
import * as webhookService from './webhook.service.js';

const tags = ['notifications'];

export const webhookRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config, secrets }) => {
  const deps = { secrets, addresses: createAddressPolicy(config.notifications.webhookNetworks, 'webhooks') };

  app.get(
    '/api/v1/webhooks/',
    {
      schema: {
        tags,
        summary: 'List webhooks',
        description:
          'Webhooks of the organizations you belong to (all for superusers). Secrets are never listed; operators ' +
          'see each URL redacted to its scheme and host (`https://receiver.example.com/…`), admins in full.',
        querystring: ListWebhooksQuery,
        response: { 200: Paginated(WebhookDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const actor = actorOf(request);
      const organizationId = await resolveOrganizationFilter(db, actor, request.query.organization);
      const { rows, count } = await webhookService.listWebhooks(db, actor, organizationId, page);
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toWebhookDto));
    },
  );

  app.post(
    '/api/v1/webhooks/',
    {
      schema: {
        tags,
        summary: 'Create a webhook (organization admins)',
        description:
          'fleetflash POSTs each chosen event to the URL, signed with a secret generated here and shown in this ' +
          'answer only (docs/api.md, "Webhooks", shows how a receiver checks the signature).',
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecretDto, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { webhook, secret } = await webhookService.createWebhook(db, deps, actorOf(request), request.body);
      return reply.code(201).send({ ...toWebhookDto(webhook), secret });
    },
  );

  app.get(
    '/api/v1/webhooks/:id/',
    {
      schema: {
        tags,
        summary: 'Get a webhook',
        description: 'Operators see the URL redacted to its scheme and host; admins and superusers in full.',
        params: IdParams,
        response: { 200: WebhookDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => toWebhookDto(await webhookService.showWebhook(db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/webhooks/:id/',
    {
      schema: {
        tags,
        summary: 'Change a webhook (organization admins)',
        params: IdParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      toWebhookDto(await webhookService.updateWebhook(db, deps, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/webhooks/:id/',
    {
      schema: {
        tags,
        summary: 'Delete a webhook and its delivery log (organization admins)',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await webhookService.deleteWebhook(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/webhooks/:id/rotate-secret/',
    {
      schema: {
        tags,
        summary: 'Replace the signing secret (organization admins)',
        description:
          'The new secret is in this answer only; deliveries from now on are signed with it and, for 24 hours, ' +
          'with the replaced secret too, in the header X-Fleetflash-Signature-Previous (`previous_secret_until`).',
        params: IdParams,
        response: { 200: WebhookWithSecretDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { webhook, secret } = await webhookService.rotateWebhookSecret(
        db,
        deps,
        actorOf(request),
        request.params.id,
      );
      return { ...toWebhookDto(webhook), secret };
    },
  );

  app.post(
    '/api/v1/webhooks/:id/test/',
    {
      schema: {
        tags,
        summary: 'Send a test event (organization admins)',
        description:
          'Queues a `test` delivery to this webhook, sent, signed and retried like any other; follow it in the ' +
          'delivery log.',
        params: IdParams,
        response: { 202: TestDeliveryDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { deliveryId } = await webhookService.sendTestDelivery(db, actorOf(request), request.params.id);
      return reply.code(202).send({ delivery: deliveryId });
    },
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries/',
    {
      schema: {
        tags,
        summary: "A webhook's delivery log",
        description: 'Newest first, each with every attempt: when, how long, the status code or error.',
        params: IdParams,
        querystring: Type.Object(PaginationQuery),
        response: { 200: Paginated(DeliveryDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { rows, count, attempts } = await webhookService.listWebhookDeliveries(
        db,
        actorOf(request),
        request.params.id,
        page,
      );
      const results = rows.map((row) => toDeliveryDto(row, attempts));
      return pageResponse(request, config.server.publicUrl, page, count, results);
    },
  );
};
