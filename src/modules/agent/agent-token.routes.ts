import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { errorResponses, IdParams, NoContent } from '../../http/schemas.js';
import { manageOverSsh, revokeAgentTokens, rotateAgentToken } from './agent-token.service.js';

const AgentTokenDto = Type.Object({
  prefix: Type.Union([Type.String(), Type.Null()], { description: 'First characters of the active token (ffa_…).' }),
  created: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  rotation_pending: Type.Boolean({ description: 'A new token waits for the agent to take it at its next request.' }),
});

/** Device-token management of the pull agent, in the device API (admins of the device's organization). */
export const agentTokenRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, secrets }) => {
  const tags = ['devices'];
  app.post(
    '/api/v1/devices/:id/agent-token/rotate/',
    {
      schema: {
        tags,
        summary: "Rotate the device token of the device's pull agent",
        description:
          'The agent receives the new token with its next answer and uses it from then on; the old token works ' +
          'until the new one is first used. The token itself is never shown.',
        params: IdParams,
        response: { 200: AgentTokenDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const view = await rotateAgentToken(db, secrets, actorOf(request), request.params.id);
      return {
        ...view,
        created: view.created?.toISOString() ?? null,
        last_used_at: view.last_used_at?.toISOString() ?? null,
      };
    },
  );
  app.delete(
    '/api/v1/devices/:id/agent-token/',
    {
      schema: {
        tags,
        summary: "Revoke the device tokens of the device's pull agent",
        description: 'Every token of the device stops working at once (401); the agent must be enrolled again.',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeAgentTokens(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/devices/:id/manage-over-ssh/',
    {
      schema: {
        tags,
        summary: 'Manage an agent device over SSH again',
        description:
          'Hands a device managed by its pull agent back to SSH management: every device token is revoked (the ' +
          "agent's next request gets 401) and upgrades connect over SSH again, which needs credentials and an " +
          'address. 409 UpgradeAlreadyRunning while an operation of the device is pending or running; 409 ' +
          'AgentNotEnrolled for a device managed over SSH already. A device becomes agent-managed again only by ' +
          'enrolling its agent. Audit-logged as device.managed_over_ssh.',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await manageOverSsh(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
