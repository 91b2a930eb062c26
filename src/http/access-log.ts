import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { redactUrl } from '../platform/log-redaction.js';

/**
 * One access-log line per request (method, url, status, milliseconds) instead of Fastify's two
 * ("incoming request", "request completed"): half the log volume, everything an operator greps for.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: redactUrl(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request failed');
    else reply.log.info(line, 'request');
  }
}
