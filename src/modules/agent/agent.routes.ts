import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.js';
import { matchesIfNoneMatch, sendStoredFile } from '../../http/send-stored-file.js';
import { attachmentDisposition } from '../../platform/content-disposition.js';
import { createAddressPolicy } from '../../platform/address-policy.js';
import { invalid, notFound } from '../../platform/errors.js';
import { PROJECT_ROOT } from '../../platform/paths.js';
import { enrollAgent } from '../../use-cases/enroll-agent.js';
import { FailureThrottle } from '../accounts/login-throttle.js';
import { checkBackupArchive, InvalidBackupArchive, MAX_BACKUP_BYTES } from '../backups/backup-archive.js';
import { findBackup } from '../backups/backup.service.js';
import { findImage } from '../firmware/image.service.js';
import { LongPolls } from './agent-long-poll.js';
import { AgentPackages, readAgentFile } from './agent-package.js';
import { DeviceRateLimit } from './agent-rate-limit.js';
import { pollAnswerLines, reportField } from './agent-answers.js';
import { AGENT_FAILURE_CODES, isAgentFailureCode } from './agent-outcomes.js';
import { FormFields, registerAgentHttp, RULES, sendLines } from './agent-text.js';
import { ticketValid } from '../../platform/tickets.js';
import { type AgentIdentity, authenticateAgent } from './agent-tokens.js';
import * as service from './agent.service.js';

/** The repository folder the agent's script and installer are served from. */
export const AGENT_SCRIPTS_DIR = path.join(PROJECT_ROOT, 'agent');

/** Polls and reports one device may make per minute (a looping agent must not hog the node). */
const REQUESTS_PER_MINUTE = 120;

export interface AgentRouteOptions extends AppDeps {
  /** Where `fleetflash-agent.sh` and `install.sh` are read from (tests pass a fixture). */
  agentScriptsDir?: string;
}

/**
 * The pull agent's endpoints (docs/agent-protocol.md): form bodies in, `key=value` lines out,
 * authenticated by the device token in the body (ticket URLs for the image and the backup). Not in
 * the OpenAPI document: they are no JSON API; the protocol page is their reference.
 */
export async function agentRoutes(app: FastifyInstance, deps: AgentRouteOptions): Promise<void> {
  const { db, config, secrets, storage, events } = deps;
  const addresses = createAddressPolicy(config.devices);
  const throttle = new FailureThrottle(db, config.security.loginThrottle);
  const requests = new DeviceRateLimit(REQUESTS_PER_MINUTE, 'requests');
  const downloads = new DeviceRateLimit(config.agent.downloadRateLimit, 'image downloads');
  const polls = new LongPolls();
  events.onAgentJob((deviceId) => polls.wake(deviceId));
  // Held polls answer at once when the server stops.
  const stopping = new AbortController();
  app.addHook('preClose', async () => stopping.abort());
  registerAgentHttp(app);
  const route = { config: { public: true }, schema: { hide: true } };

  const authenticate = async (form: FormFields): Promise<AgentIdentity> => {
    const identity = await authenticateAgent(
      db,
      secrets,
      form.required('token', RULES.token.pattern, RULES.token.what),
    );
    requests.take(identity.deviceId);
    await service.assertAgentManaged(db, identity.deviceId);
    return identity;
  };
  const baseUrl = (request: FastifyRequest) => config.server.publicUrl ?? `${request.protocol}://${request.host}`;

  app.post('/agent/v1/enroll', route, async (request, reply) => {
    const form = new FormFields(request.body);
    const organization = form.required('organization', /^[\w-]{1,100}$/, 'the organization slug');
    const input = {
      organization,
      secret: form.required('secret', /^[^\r\n]{1,500}$/, "the organization's registration secret"),
      mac: form.required('mac', /^[0-9a-f]{2}([:-]?[0-9a-f]{2}){5}$/i, 'a MAC address such as aa:bb:cc:dd:ee:ff'),
      board: form.optional('board', RULES.word.pattern, RULES.word.what),
      model: form.optional('model', RULES.word.pattern, RULES.word.what),
      release: form.required('release', RULES.release.pattern, RULES.release.what),
      revision: form.optional('revision', RULES.revision.pattern, RULES.revision.what),
      distribution: form.optional('distribution', /^[\w .-]{1,64}$/, 'a distribution name such as OpenWrt'),
      bootId: form.required('boot_id', RULES.bootId.pattern, RULES.bootId.what),
      hostname: form.optional('hostname', /^[\w.-]{1,100}$/, 'a host name'),
      agentVersion: form.required('agent_version', RULES.version.pattern, RULES.version.what),
    };
    // Wrong secrets count like failed logins, per address and organization; right ones cost nothing (many
    // routers behind one NAT address enroll at once after a power cut).
    const enrolled = await throttle.attempt(
      request.ip,
      `agent-enroll:${organization}`,
      () => enrollAgent(db, input, request.ip, addresses),
      'InvalidRegistrationSecret',
    );
    return sendLines(reply, {
      device: enrolled.device.id,
      token: enrolled.token,
      poll_interval: config.agent.pollInterval,
      long_poll: config.agent.longPoll,
    });
  });

  app.post('/agent/v1/poll', route, async (request, reply) => {
    const form = new FormFields(request.body);
    const identity = await authenticate(form);
    const input = {
      bootId: form.optional('boot_id', RULES.bootId.pattern, RULES.bootId.what),
      release: form.optional('release', RULES.release.pattern, RULES.release.what),
      agentVersion: form.optional('agent_version', RULES.version.pattern, RULES.version.what),
      operation: form.optional('operation', RULES.uuid.pattern, RULES.uuid.what).toLowerCase(),
      phase: form.optional('phase', RULES.phase.pattern, RULES.phase.what),
      longPoll: Number(form.optional('long_poll', RULES.seconds.pattern, RULES.seconds.what) || 0),
    };
    await service.recordPoll(db, identity, input);
    const closed = new AbortController();
    // The response's close before it is sent: the agent hung up (the request's own close comes with its body).
    reply.raw.once('close', () => closed.abort());
    const longPoll = config.agent.longPoll;
    // Never held longer than the agent waits (it may not have learnt a longer setting yet).
    const holdSeconds = input.longPoll > 0 ? Math.min(longPoll, input.longPoll) : longPoll;
    const poll = { operation: input.operation, phase: input.phase, resendAfterMs: longPoll * 1000 };
    const answer = await service.awaitAction(db, polls, identity.deviceId, poll, {
      // A rotated token is handed over at once rather than after the hold.
      holdMs: identity.newToken ? 0 : holdSeconds * 1000,
      abort: AbortSignal.any([closed.signal, stopping.signal]),
    });
    // Every answer carries the settings, so a change reaches agents enrolled before it.
    const settings = { poll_interval: config.agent.pollInterval, long_poll: longPoll };
    const token: Record<string, string> = identity.newToken ? { token: identity.newToken } : {};
    if (!answer) return sendLines(reply, { action: 'none', ...settings, ...token });
    return sendLines(reply, { ...pollAnswerLines(answer, baseUrl(request)), ...settings, ...token });
  });

  app.post('/agent/v1/report', route, async (request, reply) => {
    const form = new FormFields(request.body);
    const identity = await authenticate(form);
    const operation = form.required('operation', RULES.uuid.pattern, RULES.uuid.what).toLowerCase();
    const seq = Number(form.required('seq', /^[1-9]\d{0,8}$/, 'the report number (1, 2, …)'));
    const attemptField = form.optional('attempt', /^[1-9]\d{0,5}$/, 'the attempt of the job (attempt=)');
    const step = form.required('step', /^[a-z]{1,20}$/, `one of ${Object.keys(service.REPORT_STEPS).join(', ')}`);
    if (!service.isReportStep(step))
      throw invalid(`Unknown step "${step}": it must be one of ${Object.keys(service.REPORT_STEPS).join(', ')}.`, {
        step: 'unknown',
      });
    const fields: Record<string, string> = {};
    for (const name of service.REPORT_STEPS[step] as readonly string[]) fields[name] = reportField(form, name);
    if (step === 'failed' && !isAgentFailureCode(fields.code ?? ''))
      throw invalid(`Unknown failure code "${fields.code}": it must be one of ${AGENT_FAILURE_CODES.join(', ')}.`, {
        code: 'unknown',
      });
    const attempt = attemptField ? Number(attemptField) : null;
    const { stop } = await service.storeReport(db, identity, { operation, seq, attempt, step, fields });
    return sendLines(reply, stop ? { action: 'cancel', operation } : { ok: 1 });
  });

  /** The job a ticket URL was signed for (404 for anything else: a wrong ticket proves nothing). */
  const ticketJob = async (params: { operation: string; ticket: string }) => {
    const operation = params.operation.toLowerCase();
    if (!RULES.uuid.pattern.test(operation)) throw notFound('operation', params.operation.slice(0, 40));
    const job = await service.findTicketJob(db, operation);
    if (!ticketValid(secrets, params.ticket, operation, job.deviceId)) throw notFound('operation', operation);
    return job;
  };
  const ticketDevice = async (params: { operation: string; ticket: string }) => (await ticketJob(params)).deviceId;

  app.get<{ Params: { operation: string; ticket: string } }>(
    '/agent/v1/images/:operation/:ticket',
    route,
    async (request, reply) => {
      const deviceId = await ticketDevice(request.params);
      downloads.take(deviceId);
      const operation = await service.findDeviceOperation(db, deviceId, request.params.operation.toLowerCase());
      // Streamed here, never redirected to an object store: the agent's fetch may not follow another origin.
      if (operation.kind === 'restore') {
        const backup = operation.backupId ? await findBackup(db, operation.backupId) : undefined;
        if (!backup) throw notFound('backup');
        const file = { sha256: backup.sha256, size: backup.size, fileName: 'backup.tar.gz' };
        return sendStoredFile(request, reply, storage, file, { redirect: false });
      }
      const image = operation.imageId ? await findImage(db, operation.imageId) : undefined;
      if (!image) throw notFound('image');
      return sendStoredFile(request, reply, storage, image, { redirect: false });
    },
  );

  await app.register(async (uploads) => {
    // The archive comes as the raw body, whatever Content-Type the agent's fetch tool puts on a --post-file.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BACKUP_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    // The ticket and the job are checked before the body is read: nobody buffers 16 MiB without one.
    uploads.addHook('onRequest', async (request) => {
      const job = await ticketJob(request.params as { operation: string; ticket: string });
      requests.take(job.deviceId);
      service.assertJobTakesBackup(job);
    });
    uploads.post<{ Params: { operation: string; ticket: string } }>(
      '/agent/v1/backups/:operation/:ticket',
      route,
      async (request, reply) => {
        const archive = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        try {
          await checkBackupArchive(archive);
        } catch (error) {
          if (!(error instanceof InvalidBackupArchive)) throw error;
          throw invalid(`The backup is not a readable sysupgrade -b archive: ${error.message}`, {
            body: 'not a gzip tar',
          });
        }
        await service.storeUploadedBackup(db, request.params.operation.toLowerCase(), archive);
        return sendLines(reply, { ok: 1 });
      },
    );
  });

  const scripts = deps.agentScriptsDir ?? AGENT_SCRIPTS_DIR;
  for (const file of ['fleetflash-agent.sh', 'install.sh']) {
    app.get(`/agent/${file}`, route, async (_request, reply) =>
      reply
        .type('text/x-shellscript; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(await readAgentFile(scripts, file)),
    );
  }
  const packages = new AgentPackages(scripts);
  app.get('/agent/fleetflash-agent.ipk', route, async (request, reply) => {
    const built = await packages.current();
    const etag = `"${built.sha256}"`;
    reply
      .type('application/octet-stream')
      .header('etag', etag)
      .header('cache-control', 'no-cache')
      .header('content-disposition', attachmentDisposition(built.fileName));
    if (matchesIfNoneMatch(request, etag)) return reply.code(304).send();
    return reply.send(built.bytes);
  });
}
