import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated } from '../../http/schemas.js';
import { createAddressPolicy } from '../../platform/address-policy.js';
import { createDevice } from '../../use-cases/create-device.js';
import { deleteDevice } from '../../use-cases/delete-device.js';
import { registerDevice } from '../../use-cases/register-device.js';
import { updateDevice } from '../../use-cases/update-device.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import * as credentialsService from './credentials.service.js';
import * as deviceService from './device.service.js';
import {
  CreateCredentialsBody,
  CreateDeviceBody,
  CredentialsDto,
  DeviceDto,
  ListCredentialsQuery,
  RegisterDeviceBody,
  RegisteredDeviceDto,
  ReplaceDeviceBody,
  toCredentialsDto,
  toDeviceDto,
  UpdateCredentialsBody,
  UpdateDeviceBody,
} from './devices.schema.js';

type DeviceBody = {
  organization?: string | undefined;
  name?: string | undefined;
  mac_address?: string | undefined;
  model?: string | undefined;
  board_name?: string | undefined;
  os?: string | undefined;
  management_ip?: string | null | undefined;
  ssh_port?: number | undefined;
  group?: string | undefined;
  location?: string | undefined;
  is_active?: boolean | undefined;
  credentials?: string | null | undefined;
};

function deviceInput(body: DeviceBody) {
  return {
    organization: body.organization,
    name: body.name,
    macAddress: body.mac_address,
    model: body.model,
    boardName: body.board_name,
    os: body.os,
    managementIp: body.management_ip,
    sshPort: body.ssh_port,
    group: body.group,
    location: body.location,
    isActive: body.is_active,
    credentials: body.credentials,
  };
}

export const deviceRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config, secrets, storage }) => {
  const tags = ['devices'];
  const addresses = createAddressPolicy(config.devices);

  app.post(
    '/api/v1/devices/',
    {
      schema: {
        tags,
        summary: 'Add a device',
        body: CreateDeviceBody,
        response: { 201: DeviceDto, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { name, mac_address: macAddress } = request.body;
      const input = { ...deviceInput(request.body), name, macAddress };
      const device = await createDevice(db, actorOf(request), input, addresses);
      return reply.code(201).send(toDeviceDto(device));
    },
  );

  app.post(
    '/api/v1/devices/register/',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Register a device (for routers and agents)',
        description:
          "Authenticated by the organization's registration secret instead of a user. Creates the device, or finds " +
          'it by MAC address and records its OS, model, board and address.',
        security: [],
        body: RegisterDeviceBody,
        response: { 200: RegisteredDeviceDto, 201: RegisteredDeviceDto, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { device, created } = await registerDevice(
        db,
        {
          organization: body.organization,
          secret: body.secret,
          macAddress: body.mac_address,
          name: body.name,
          model: body.model,
          boardName: body.board_name,
          os: body.os,
          managementIp: body.management_ip,
          sshPort: body.ssh_port,
        },
        request.ip,
        addresses,
      );
      return reply.code(created ? 201 : 200).send({ id: device.id, created, name: device.name, os: device.os });
    },
  );

  app.get(
    '/api/v1/devices/:id/',
    {
      schema: {
        tags,
        summary: 'Get a device',
        params: IdParams,
        response: { 200: DeviceDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => toDeviceDto(await deviceService.getDevice(db, actorOf(request), request.params.id)),
  );

  for (const method of ['put', 'patch'] as const) {
    app[method](
      '/api/v1/devices/:id/',
      {
        schema: {
          tags,
          summary: method === 'put' ? 'Replace a device' : 'Change some fields of a device',
          params: IdParams,
          body: method === 'put' ? ReplaceDeviceBody : UpdateDeviceBody,
          response: { 200: DeviceDto, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const changes = deviceInput(request.body as DeviceBody);
        return toDeviceDto(await updateDevice(db, actorOf(request), request.params.id, changes, addresses));
      },
    );
  }

  app.delete(
    '/api/v1/devices/:id/',
    {
      schema: {
        tags,
        summary: 'Delete a device (and its upgrade history and configuration backups)',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteDevice(db, storage, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/devices/:id/reset-host-key/',
    {
      schema: {
        tags,
        summary: 'Forget the pinned SSH host key',
        description:
          'After a legitimate reinstall the device presents a new host key and upgrades abort; this clears the pin ' +
          'so the next connection pins the new key.',
        params: IdParams,
        response: { 200: DeviceDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => toDeviceDto(await deviceService.resetHostKey(db, actorOf(request), request.params.id)),
  );

  const credentialTags = ['credentials'];

  app.get(
    '/api/v1/credentials/',
    {
      schema: {
        tags: credentialTags,
        summary: 'List SSH credentials (never their secrets)',
        querystring: ListCredentialsQuery,
        response: { 200: Paginated(CredentialsDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const actor = actorOf(request);
      const organizationId = await resolveOrganizationFilter(db, actor, request.query.organization);
      const { rows, count } = await credentialsService.listCredentials(db, actor, organizationId, page);
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toCredentialsDto));
    },
  );

  app.post(
    '/api/v1/credentials/',
    {
      schema: {
        tags: credentialTags,
        summary: "Store SSH credentials for an organization's devices",
        description:
          'A username with a password or a private key (and its passphrase). Secrets are encrypted at rest and ' +
          'never returned.',
        body: CreateCredentialsBody,
        response: { 201: CredentialsDto, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const row = await credentialsService.createCredentials(db, secrets, actorOf(request), {
        organization: body.organization,
        name: body.name,
        username: body.username,
        password: body.password,
        privateKey: body.private_key,
        passphrase: body.passphrase,
        isDefault: body.is_default,
      });
      return reply.code(201).send(toCredentialsDto(row));
    },
  );

  app.get(
    '/api/v1/credentials/:id/',
    {
      schema: {
        tags: credentialTags,
        summary: 'Get SSH credentials (without secrets)',
        params: IdParams,
        response: { 200: CredentialsDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) =>
      toCredentialsDto(await credentialsService.getCredentials(db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/credentials/:id/',
    {
      schema: {
        tags: credentialTags,
        summary: 'Change SSH credentials (secrets left out are kept)',
        params: IdParams,
        body: UpdateCredentialsBody,
        response: { 200: CredentialsDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const body = request.body;
      return toCredentialsDto(
        await credentialsService.updateCredentials(db, secrets, actorOf(request), request.params.id, {
          organization: body.organization,
          name: body.name,
          username: body.username,
          password: body.password,
          privateKey: body.private_key,
          passphrase: body.passphrase,
          isDefault: body.is_default,
        }),
      );
    },
  );

  app.delete(
    '/api/v1/credentials/:id/',
    {
      schema: {
        tags: credentialTags,
        summary: 'Delete SSH credentials (devices using them fall back to the default)',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await credentialsService.deleteCredentials(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
