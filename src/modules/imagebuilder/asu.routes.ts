import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyReply } from 'fastify';
import type { AppDeps } from '../../http/deps.js';
import { sendStoredFile } from '../../http/send-stored-file.js';
import { AppError } from '../../platform/errors.js';
import { AnswerCache } from './answer-cache.js';
import { buildRequestSchema } from './build-request.js';
import { BuildRequestRefused, describeBuild, expireBuild, findBuild, submitBuild } from './build.service.js';
import * as buildRepository from './build.repository.js';
import { branchOf, branchOffRevision, compareVersionsDescending, type OpenwrtCatalog, packageChangesFor, resolveProfile } from './openwrt-catalog.js';
import * as statsRepository from './stats.repository.js';
import { UpstreamUnavailable } from './upstream.js';

/**
 * The Attended SysUpgrade API, compatible with the clients that speak it (LuCI
 * attended-sysupgrade, owut, auc, the firmware selector): same paths, fields, status codes,
 * headers and error shapes (`{status, detail}`; 422 with a list of `{type, loc, msg}`). No login:
 * like ASU, anyone may ask for a build; limits are per client. See docs/api.md "Image builds".
 */

export interface AsuDeps extends AppDeps {
  catalog: OpenwrtCatalog;
  version: string;
}

const HASH = '^[0-9a-f]{64}$';
const HASH_PATTERN = new RegExp(HASH);
const BODY_LIMIT = 256 * 1024;
const tags = ['image builds (ASU)'];
/** ASU answers are open JSON objects (fields as listed in docs/api.md); their shape is documented there, not constrained here. */
const Json = Type.Object({}, { additionalProperties: true });
const Text = Type.String({ description: 'text/plain' });

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

const ISSUE_TYPES: Record<string, string> = {
  required: 'missing', pattern: 'string_pattern_mismatch', maxLength: 'string_too_long', minLength: 'string_too_short',
  minimum: 'greater_than_equal', maximum: 'less_than_equal', maxItems: 'too_long', maxProperties: 'too_long', enum: 'literal_error', const: 'literal_error',
  anyOf: 'literal_error', propertyNames: 'string_pattern_mismatch',
};

/** FastAPI-style 422 details (what ASU clients print): `{type, loc, msg}`, never echoing the input (it may hold secrets). */
function validationDetails(issues: AjvIssue[]): { type: string; loc: (string | number)[]; msg: string }[] {
  const seen = new Set<string>();
  const details: { type: string; loc: (string | number)[]; msg: string }[] = [];
  for (const issue of issues) {
    const loc: (string | number)[] = ['body', ...issue.instancePath.split('/').filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part))];
    if (issue.keyword === 'required') loc.push(String(issue.params?.missingProperty));
    if (issue.keyword === 'propertyNames' && issue.params?.propertyName) loc.push(String(issue.params.propertyName));
    // A failed union reports each branch; the `null` branch of nullable fields is noise.
    if (issue.keyword === 'type' && issue.params?.type === 'null') continue;
    const key = loc.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    const msg = issue.keyword === 'required' ? 'Field required' : issue.keyword === 'pattern'
      ? `String should match pattern '${String(issue.params?.pattern)}' (ASCII letters, digits, _ . , - only; no spaces, quotes, $, ( or leading -)`
      : `${(issue.message ?? 'is invalid').replace(/^must/, 'Input should')}`;
    details.push({ type: ISSUE_TYPES[issue.keyword] ?? `${String(issue.params?.type ?? issue.keyword)}_type`, loc, msg });
  }
  return details;
}

function sendRefused(reply: FastifyReply, status: number, detail: unknown, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').send({ status, detail, ...extra });
}

export const asuRoutes: FastifyPluginAsyncTypebox<AsuDeps> = async (app, deps) => {
  const { db, config, catalog, storage } = deps;
  const settings = config.imageBuilds;

  app.setErrorHandler((error: FastifyError & { validation?: AjvIssue[] }, request, reply) => {
    if (error instanceof BuildRequestRefused) return sendRefused(reply, error.status, error.message, { code: error.code, ...error.extra }, error.headers);
    if (Array.isArray(error.validation)) return sendRefused(reply, 422, validationDetails(error.validation), { code: 'INVALID_REQUEST' });
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendRefused(reply, 422, [{ type: 'missing', loc: ['body'], msg: 'Field required' }], { code: 'INVALID_REQUEST' });
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && error.statusCode === 400)) {
      return sendRefused(reply, 422, [{ type: 'json_invalid', loc: ['body'], msg: 'JSON decode error: the body is not valid JSON' }], { code: 'INVALID_REQUEST' });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendRefused(reply, 413, `The request body is larger than ${BODY_LIMIT} bytes.`, { code: 'PAYLOAD_TOO_LARGE' });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendRefused(reply, 415, 'Send the build request as application/json.', { code: 'UNSUPPORTED_MEDIA_TYPE' });
    if (error instanceof UpstreamUnavailable) return sendRefused(reply, 503, `The OpenWrt download server cannot be reached (${error.message}). Try again later.`, { code: 'UPSTREAM_UNAVAILABLE' }, { 'retry-after': '60' });
    if (error instanceof AppError) return sendRefused(reply, error.status, error.message, { code: error.code }, error.headers ?? {});
    request.log.error({ err: error }, 'unexpected error');
    return sendRefused(reply, 500, `Internal error: the server log holds the details under request id ${request.id}.`, { code: 'InternalError' });
  });

  const bodySchema = buildRequestSchema(settings);
  const answers = new AnswerCache();
  const HashParams = Type.Object({ request_hash: Type.String({ maxLength: 128 }) });
  const notFoundHash = (reply: FastifyReply) => reply.code(404).send({ status: 404, title: 'Not Found', detail: 'could not find provided request hash' });

  app.post('/api/v1/build', {
    bodyLimit: BODY_LIMIT,
    config: { public: true },
    schema: {
      tags, summary: 'Request a custom image (or get the cached one)',
      description: 'Answers 200 with the result when a build of the same canonical request exists, 202 while queued (`queue_position`, `estimated_wait_seconds`) or building (`imagebuilder_status`), 500 with `error_code` when it failed. Headers `X-Imagebuilder-Status` and `X-Queue-Position`. Poll `GET /api/v1/build/{request_hash}` (or follow `/api/v1/events/?build=<hash>`).',
      body: bodySchema,
      response: { 200: Json, 202: Json, 400: Json, 413: Json, 422: Json, 429: Json, 500: Json, 503: Json, 529: Json },
    },
  }, async (request, reply) => {
    const { row } = await submitBuild({ db, config, catalog, secrets: deps.secrets }, {
      body: request.body, clientKey: request.ip, userAgent: request.headers['user-agent'],
    });
    // Built again (expired or an infrastructure failure): this process's kept answer is stale.
    if (row.status === 'queued' || row.status === 'started') answers.delete(row.requestHash);
    const answer = await describeBuild(db, config, row);
    return (reply as FastifyReply).code(answer.httpStatus).headers(answer.headers).send(answer.body);
  });

  app.get('/api/v1/build/:request_hash', {
    config: { public: true },
    schema: { tags, summary: 'State of a build (HEAD: the same status and headers, no body)', params: HashParams, response: { 200: Json, 202: Json, 404: Json, 500: Json } },
  }, async (request, reply) => {
    const hash = request.params.request_hash;
    const cached = answers.get(hash);
    if (cached) return (reply as FastifyReply).code(cached.httpStatus).headers(cached.headers).send(cached.payload);
    if (!HASH_PATTERN.test(hash)) return notFoundHash(reply);
    const row = await findBuild(db, hash);
    if (!row) return notFoundHash(reply);
    const answer = await describeBuild(db, config, row);
    if (row.status === 'success' || row.status === 'failed') {
      const entry = answers.set(hash, answer, row.expiresAt);
      return (reply as FastifyReply).code(entry.httpStatus).headers(entry.headers).send(entry.payload);
    }
    return (reply as FastifyReply).code(answer.httpStatus).headers(answer.headers).send(answer.body);
  });

  app.post('/api/v1/build/:request_hash', { config: { public: true }, schema: { hide: true, params: HashParams, response: { 405: Json } } }, async (_request, reply) =>
    reply.code(405).header('allow', 'GET, HEAD, DELETE').send({ status: 405, detail: 'Method Not Allowed: POST the request to /api/v1/build, GET this URL for its state.' }));

  app.delete('/api/v1/build/:request_hash', {
    schema: { tags, summary: 'Drop a cached result (superusers): the next identical request builds again', params: HashParams, response: { 204: Type.Null(), 401: Json, 403: Json, 404: Json, 409: Json } },
  }, async (request, reply) => {
    if (!request.actor?.isSuperuser) throw new AppError('PermissionDenied', 'Only superusers can drop cached build results.');
    if (!HASH_PATTERN.test(request.params.request_hash)) return notFoundHash(reply);
    answers.delete(request.params.request_hash);
    if (!(await expireBuild(db, request.params.request_hash))) {
      const row = await buildRepository.findBuild(db, request.params.request_hash);
      if (!row) return notFoundHash(reply);
      return sendRefused(reply, 409, 'The build is queued or running: it can be dropped once it has finished.', { code: 'BUILD_RUNNING' });
    }
    return reply.code(204).send(null);
  });

  app.get('/api/v1/revision/:version/:target/:subtarget', {
    config: { public: true },
    schema: { tags, summary: 'Revision (version_code) of a version/target upstream', params: Type.Object({ version: Type.String({ maxLength: 64 }), target: Type.String({ maxLength: 64 }), subtarget: Type.String({ maxLength: 64 }) }), response: { 200: Type.Object({ revision: Type.String() }), 400: Json, 404: Json } },
  }, async (request, reply) => {
    const { version, target, subtarget } = request.params;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(version) || !/^[A-Za-z0-9_]+$/.test(target) || !/^[A-Za-z0-9_]+$/.test(subtarget) || !(await catalog.isKnownVersion(version))) {
      return sendRefused(reply, 400, `Unsupported version: ${version}`, { code: 'UNSUPPORTED_VERSION' });
    }
    const profiles = await catalog.profiles(version, `${target}/${subtarget}`);
    if (!profiles) return sendRefused(reply, 404, `Failed to fetch revision for ${version}/${target}/${subtarget}`, { code: 'UNSUPPORTED_TARGET' });
    return { revision: profiles.version_code };
  });

  app.get('/api/v1/profiles/:version/:target/:subtarget', {
    config: { public: true },
    schema: {
      tags, summary: 'Profiles of a version/target, for choosing a model (not in ASU)',
      params: Type.Object({ version: Type.String({ maxLength: 64 }), target: Type.String({ maxLength: 64 }), subtarget: Type.String({ maxLength: 64 }) }),
      response: {
        200: Type.Object({
          version_code: Type.String(), arch_packages: Type.String(), default_packages: Type.Array(Type.String()),
          profiles: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), supported_devices: Type.Array(Type.String()), device_packages: Type.Array(Type.String()) })),
        }),
        400: Json, 404: Json,
      },
    },
  }, async (request, reply) => {
    const { version, target, subtarget } = request.params;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(version) || !(await catalog.isKnownVersion(version))) return sendRefused(reply, 400, `Unsupported version: ${version}`, { code: 'UNSUPPORTED_VERSION' });
    const profiles = /^[A-Za-z0-9_]+$/.test(target) && /^[A-Za-z0-9_]+$/.test(subtarget) ? await catalog.profiles(version, `${target}/${subtarget}`) : null;
    if (!profiles) return sendRefused(reply, 404, `Unsupported target: ${target}/${subtarget}`, { code: 'UNSUPPORTED_TARGET' });
    return {
      version_code: profiles.version_code ?? '', arch_packages: profiles.arch_packages, default_packages: profiles.default_packages ?? [],
      profiles: Object.entries(profiles.profiles).map(([id, entry]) => ({
        id,
        title: (entry.titles ?? []).map((title) => ('title' in title ? title.title : [title.vendor, title.model, title.variant].filter(Boolean).join(' '))).join(' / ') || id,
        supported_devices: entry.supported_devices ?? [],
        device_packages: entry.device_packages ?? [],
      })).sort((a, b) => a.title.localeCompare(b.title)),
    };
  });

  // Statistics, from the database.
  app.get('/api/v1/stats', { config: { public: true }, schema: { tags, summary: 'Queue length', response: { 200: Type.Object({ queue_length: Type.Integer(), building: Type.Integer() }) } } }, async () => {
    const totals = await statsRepository.totals(db);
    return { queue_length: totals.queued, building: totals.started };
  });
  const Days = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) });
  app.get('/api/v1/stats/summary', { config: { public: true }, schema: { tags, summary: 'Requests, cache hits and misses, successes and failures', querystring: Days, response: { 200: Json } } }, async (request) => {
    const days = request.query.days ?? 30;
    const [totals, last24h, period] = await Promise.all([statsRepository.totals(db), statsRepository.summary(db, 86_400), statsRepository.summary(db, days * 86_400)]);
    return {
      queue_length: totals.queued, building: totals.started, builds_24h: last24h.successes, days,
      requests: period.requests, cache_hits: period.cacheHits, cache_misses: period.cacheMisses, successes: period.successes, failures: period.failures,
      clients: await statsRepository.clientCounts(db, days * 86_400, 20),
    };
  });
  app.get('/api/v1/stats/builds', { config: { public: true }, schema: { tags, summary: 'Successes and failures per version, target and profile', querystring: Days, response: { 200: Json } } }, async (request) => {
    const rows = await statsRepository.buildsByProfile(db, (request.query.days ?? 30) * 86_400, 500);
    return { builds: rows.map((row) => ({ version: row.version, target: row.target, profile: row.profile, successes: row.successes, failures: row.failures, mean_duration_ms: row.meanDurationMs })) };
  });
  app.get('/api/v1/builds-per-day', { config: { public: true }, schema: { tags, summary: 'Requests, cache hits and failures per day (30 days)', response: { 200: Json } } }, async () => {
    const rows = await statsRepository.dailyCounts(db, 30);
    return {
      labels: rows.map((row) => `${row.day}Z`),
      datasets: [
        { label: 'Requests', data: rows.map((row) => row.requests), color: 'green' },
        { label: 'Cache-Hits', data: rows.map((row) => row.cacheHits), color: 'orange' },
        { label: 'Failures', data: rows.map((row) => row.failures), color: 'red' },
      ],
    };
  });
  app.get('/api/v1/top-packages', {
    config: { public: true },
    schema: { tags, summary: 'Packages most often added to images (30 days)', querystring: Type.Object({ branch: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]*$', maxLength: 32 })), n: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })) }), response: { 200: Json } },
  }, async (request) => {
    const packages = await statsRepository.topPackages(db, 30 * 86_400, request.query.n ?? 30, request.query.branch);
    return { packages, branch: request.query.branch ?? null, days: 30 };
  });
  app.get('/api/v1/build-errors', {
    config: { public: true },
    schema: { tags, summary: 'Recent build failures (text)', querystring: Type.Object({ n: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }), response: { 200: Text } },
  }, async (request, reply) => {
    const rows = await statsRepository.recentErrors(db, request.query.n ?? 100);
    const lines = rows.map((row) => `${row.finishedAt.toISOString().replace('T', ' ').slice(0, 19)} ${row.version}:${row.target}:${row.profile} ${row.errorCode ?? ''} ${(row.detail ?? '').replace(/[0-9a-f]{64}/g, '[build]').replace(/\s+/g, ' ').slice(0, 200)}`);
    return reply.type('text/plain; charset=utf-8').send(`${rows.length} recent build errors\n${lines.join('\n')}\n`);
  });

  // Legacy paths clients still call.
  for (const [from, to] of [['/api/v1/latest', '/json/v1/latest.json'], ['/api/v1/overview', '/json/v1/overview.json'], ['/api/overview', '/json/v1/overview.json'], ['/overview', '/json/v1/overview.json']] as const) {
    app.get(from, { config: { public: true }, schema: { hide: true, response: { 301: Type.Null() } } }, async (_request, reply) => reply.redirect(to, 301));
  }

  // Metadata documents, derived from upstream.
  const branches = async () => {
    const versions = await catalog.versions();
    const byBranch = new Map<string, string[]>();
    for (const version of versions) byBranch.set(branchOf(version), [...(byBranch.get(branchOf(version)) ?? []), version]);
    const result: Record<string, unknown>[] = [];
    for (const [name, list] of [...byBranch.entries()].sort(([a], [b]) => compareVersionsDescending(a, b))) {
      const sorted = [...list].sort(compareVersionsDescending);
      const branchOff = branchOffRevision(name);
      result.push({
        name, enabled: true, snapshot: name === 'SNAPSHOT', path: name === 'SNAPSHOT' ? 'snapshots' : 'releases/{version}', path_packages: 'DEPRECATED',
        ...(branchOff !== undefined ? { branch_off_rev: branchOff } : {}), git_branch: name === 'SNAPSHOT' ? 'master' : `openwrt-${name}`,
        package_changes: packageChangesFor(name), versions: sorted, targets: (await catalog.targets(sorted[0]!).catch(() => null)) ?? {},
      });
    }
    return result;
  };
  const serverInfo = () => ({
    version: deps.version, contact: 'your fleetflash administrator', allow_defaults: settings.allowDefaults, repository_allow_list: settings.repositoryAllowList,
    max_custom_rootfs_size_mb: settings.maxRootfsSizeMb, max_defaults_length: settings.maxDefaultsLength, max_packages: settings.maxPackages,
  });
  app.get('/json/v1/overview.json', { config: { public: true }, schema: { tags, summary: 'Versions, branches, targets and server limits', response: { 200: Json } } }, async () => {
    const list = await branches();
    return { latest: await catalog.latest(), branches: Object.fromEntries(list.map((branch) => [branch.name as string, branch])), upstream_url: settings.upstreamUrl, server: serverInfo() };
  });
  app.get('/json/v1/branches.json', { config: { public: true }, schema: { tags, summary: 'Branches with versions, targets and package changes', response: { 200: Type.Array(Json) } } }, async () => branches());
  app.get('/json/v1/latest.json', { config: { public: true }, schema: { tags, summary: 'Latest releases', response: { 200: Type.Object({ latest: Type.Array(Type.String()) }) } } }, async () => ({ latest: await catalog.latest() }));

  const notFoundJson = (reply: FastifyReply) => reply.code(404).send({ status: 404, detail: 'Not found' });
  const targetDocument = async (version: string, target: string, file: string, reply: FastifyReply) => {
    const name = /^([A-Za-z0-9_.,-]+)\.json$/.exec(file)?.[1];
    if (!name || !/^[A-Za-z0-9_]+\/[A-Za-z0-9_]+$/.test(target) || !(await catalog.isKnownVersion(version))) return notFoundJson(reply);
    const profiles = await catalog.profiles(version, target);
    if (!profiles) return notFoundJson(reply);
    if (name === 'index') return { architecture: profiles.arch_packages, packages: await catalog.targetPackages(version, target, profiles) };
    // Unlike ASU, board names and aliases find their profile here too.
    const id = resolveProfile(profiles, name);
    if (!id) return {};
    const { profiles: _all, ...top } = profiles;
    return { ...top, ...profiles.profiles[id], id, build_at: new Date((profiles.source_date_epoch ?? 0) * 1000).toISOString() };
  };
  const archDocument = async (version: string, file: string, reply: FastifyReply) => {
    const arch = /^([A-Za-z0-9_.+-]+)-index\.json$/.exec(file)?.[1];
    if (!arch || !(await catalog.isKnownVersion(version))) return notFoundJson(reply);
    return catalog.archPackages(version, arch, settings.feeds);
  };
  const Segment = Type.String({ maxLength: 128 });
  const documentResponses = { 200: Json, 404: Json };
  const profileDescription = '`{profile}.json`: upstream profiles.json with the profile\'s entry merged in (`id`, `build_at`; aliases resolve); `index.json`: `{architecture, packages}` of the target (kmods included).';
  app.get('/json/v1/releases/:version/targets/:target/:subtarget/:file', {
    config: { public: true }, schema: { tags, summary: 'Per-profile metadata, or the target package index', description: profileDescription, params: Type.Object({ version: Segment, target: Segment, subtarget: Segment, file: Segment }), response: documentResponses },
  }, async (request, reply) => targetDocument(request.params.version, `${request.params.target}/${request.params.subtarget}`, request.params.file, reply));
  app.get('/json/v1/snapshots/targets/:target/:subtarget/:file', {
    config: { public: true }, schema: { tags, summary: 'Per-profile metadata, or the target package index (snapshots)', description: profileDescription, params: Type.Object({ target: Segment, subtarget: Segment, file: Segment }), response: documentResponses },
  }, async (request, reply) => targetDocument('SNAPSHOT', `${request.params.target}/${request.params.subtarget}`, request.params.file, reply));
  app.get('/json/v1/releases/:version/packages/:file', {
    config: { public: true }, schema: { tags, summary: 'Packages of an architecture (`{arch}-index.json`), every configured feed merged', params: Type.Object({ version: Segment, file: Segment }), response: documentResponses },
  }, async (request, reply) => archDocument(request.params.version, request.params.file, reply));
  app.get('/json/v1/snapshots/packages/:file', {
    config: { public: true }, schema: { tags, summary: 'Packages of an architecture (snapshots)', params: Type.Object({ file: Segment }), response: documentResponses },
  }, async (request, reply) => archDocument('SNAPSHOT', request.params.file, reply));

  app.get('/store/:bin_dir/:file', {
    config: { public: true },
    schema: { tags, summary: 'Download a built file', params: Type.Object({ bin_dir: Type.String({ maxLength: 128 }), file: Type.String({ maxLength: 255 }) }), response: { 200: Type.String({ description: 'The file (application/octet-stream)' }), 404: Json } },
  }, async (request, reply) => {
    const { bin_dir: binDir, file } = request.params;
    const missing = () => reply.code(404).send({ status: 404, detail: 'Not found' });
    if (!HASH_PATTERN.test(binDir) || !/^[A-Za-z0-9._+-]+$/.test(file) || file === '.' || file === '..') return missing();
    const stored = await buildRepository.findFile(db, binDir, file);
    if (!stored || stored.status !== 'success' || (stored.expiresAt && stored.expiresAt.getTime() <= Date.now() - 600_000)) return missing();
    reply.header('x-content-type-options', 'nosniff');
    return sendStoredFile(request, reply, storage, { sha256: stored.sha256, size: stored.size, fileName: stored.name });
  });
};
