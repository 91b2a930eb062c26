import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated } from '../../http/schemas.js';
import * as notificationService from './notification.service.js';
import {
  EmailPreferencesBody,
  EmailPreferencesDto,
  ListNotificationsQuery,
  MarkedDto,
  NotificationDto,
  toNotificationDto,
  toSubscriptions,
} from './notifications.schema.js';

const tags = ['notifications'];

/** The caller's in-app notifications and email choices. */
export const notificationRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config }) => {
  const emailAvailable = config.notifications.email !== null;

  app.get(
    '/api/v1/notifications/',
    {
      schema: {
        tags,
        summary: 'Your notifications',
        description: 'Newest first; `unread` is how many of all of yours are unread (the bell).',
        querystring: ListNotificationsQuery,
        response: {
          200: Type.Composite([Paginated(NotificationDto), Type.Object({ unread: Type.Integer() })], {
            title: 'NotificationPage',
          }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { rows, count, unread } = await notificationService.listMyNotifications(
        db,
        actorOf(request),
        { unreadOnly: request.query.unread ?? false },
        page,
      );
      return { ...pageResponse(request, config.server.publicUrl, page, count, rows.map(toNotificationDto)), unread };
    },
  );

  app.post(
    '/api/v1/notifications/:id/read/',
    {
      schema: {
        tags,
        summary: 'Mark one of your notifications read',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await notificationService.markNotificationRead(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/notifications/read-all/',
    {
      schema: {
        tags,
        summary: 'Mark all your notifications read',
        response: { 200: MarkedDto, ...errorResponses(401) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const marked = await notificationService.markAllNotificationsRead(db, actor);
      return { marked, unread: await notificationService.unreadCount(db, actor) };
    },
  );

  app.get(
    '/api/v1/notifications/email-preferences/',
    {
      schema: {
        tags,
        summary: 'Which events you receive by email',
        response: { 200: EmailPreferencesDto, ...errorResponses(401) },
      },
    },
    async (request) => {
      const { email, rows } = await notificationService.getEmailPreferences(db, actorOf(request));
      return { email_available: emailAvailable, email, subscriptions: toSubscriptions(rows) };
    },
  );

  app.put(
    '/api/v1/notifications/email-preferences/',
    {
      schema: {
        tags,
        summary: 'Choose which events you receive by email',
        description:
          'Replaces your choices: per organization, or for every organization you can see (`organization`: null). ' +
          'Default: none. Emails go out only when an SMTP server is set (settings `email.*`).',
        body: EmailPreferencesBody,
        response: { 200: EmailPreferencesDto, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { email, rows } = await notificationService.setEmailPreferences(
        db,
        actorOf(request),
        request.body.subscriptions,
      );
      return { email_available: emailAvailable, email, subscriptions: toSubscriptions(rows) };
    },
  );
};
