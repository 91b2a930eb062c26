import { checkRegistrationSecret, getOrganization } from '../modules/accounts/organization.service.js';
import { type Actor, assertCanWrite } from '../modules/accounts/actor.js';
import { composeAgentFirstBoot, isAgentServerUrl, readAgentFiles } from '../modules/agent/agent-first-boot.js';
import { getBuild } from '../modules/firmware/build.service.js';
import type { BuildServiceDeps } from '../modules/imagebuilder/build.service.js';
import {
  type CustomImagesInput,
  type CustomImagesResult,
  findCustomImages,
  submitCustomImageBuilds,
} from '../modules/imagebuilder/custom-image.service.js';
import { invalid } from '../platform/errors.js';
import { type AttachDeps, attachFinishedBuild } from './attach-finished-build.js';

export interface RequestCustomImagesInput extends Omit<CustomImagesInput, 'embedsAgent' | 'defaultsComposedByServer'> {
  /** Embed the pull agent, enrolling with the build's organization (docs/agent-images.md). */
  agent?: { serverUrl: string; registrationSecret: string } | undefined;
}

/**
 * Requests custom images for a firmware build (one image build per model, see
 * custom-image.service.ts) and attaches at once those whose build is done already (cached, or
 * finished meanwhile), each in its own transaction (attach-finished-build.ts); the build worker
 * attaches the others when they finish. Answers the custom images as they are after that.
 *
 * With `agent`, the first-boot script is the pull agent and its enrollment for the build's
 * organization (src/modules/agent/agent-first-boot.ts), then the admin's `defaults`. The registration
 * secret is checked against the organization's (the server keeps only its hash, so the admin gives it)
 * and lives on only inside the script, which is sealed at rest like any `defaults` and hashed into the
 * request key: another organization, another secret or another server URL make another image.
 */
export async function requestCustomImages(
  deps: BuildServiceDeps & AttachDeps,
  actor: Actor,
  buildId: string,
  input: RequestCustomImagesInput,
): Promise<CustomImagesResult> {
  const { agent, ...rest } = input;
  const request: CustomImagesInput = agent ? await withAgent(deps, actor, buildId, rest, agent) : rest;
  const submitted = await submitCustomImageBuilds(deps, actor, buildId, request);
  for (const build of submitted.finished) await attachFinishedBuild(deps, build);
  const requested = await findCustomImages(
    deps.db,
    submitted.requested.map((row) => row.id),
  );
  return { requested, skipped: submitted.skipped };
}

async function withAgent(
  deps: BuildServiceDeps,
  actor: Actor,
  buildId: string,
  input: CustomImagesInput,
  agent: NonNullable<RequestCustomImagesInput['agent']>,
): Promise<CustomImagesInput> {
  const build = await getBuild(deps.db, actor, buildId);
  assertCanWrite(actor, build.organizationId, 'images of this build');
  if (build.organizationId === null) {
    throw invalid('A shared build belongs to no organization, so its images cannot enroll routers into one.', {
      embed_agent: 'only for builds of an organization',
    });
  }
  if (!agent.registrationSecret) {
    throw invalid("Give the organization's registration secret: the image enrolls routers with it.", {
      registration_secret: 'required with embed_agent',
    });
  }
  if (!isAgentServerUrl(agent.serverUrl)) {
    throw invalid(
      `Routers would reach this server at ${agent.serverUrl}, which the agent cannot use: set server.public_url.`,
      { embed_agent: 'needs an http(s) server URL' },
    );
  }
  const organization = await getOrganization(deps.db, actor, build.organizationId);
  const { refusal } = await checkRegistrationSecret(deps.db, organization.slug, agent.registrationSecret);
  if (refusal === 'no_registration_secret') {
    throw invalid('The organization has no registration secret yet: generate one, then request the images.', {
      registration_secret: 'the organization has none',
    });
  }
  if (refusal === 'organization_inactive') {
    throw invalid('The organization is inactive: routers cannot enroll into it.', {
      embed_agent: 'the organization is inactive',
    });
  }
  if (refusal !== null) {
    throw invalid(
      "This is not the organization's current registration secret (routers would be refused): give the current " +
        'one, or generate a new one.',
      { registration_secret: 'not the current registration secret' },
    );
  }
  const defaults = composeAgentFirstBoot(
    await readAgentFiles(),
    { serverUrl: agent.serverUrl, organization: organization.slug, secret: agent.registrationSecret },
    input.defaults ?? '',
  );
  return { ...input, defaults, embedsAgent: true, defaultsComposedByServer: !input.defaults };
}
