import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawAgent } from './helpers/raw-agent.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/** An agent-managed device handed back to SSH management (POST /api/v1/devices/{id}/manage-over-ssh/). */

let h: Harness;
let base: string;
let secret: string;
let macCounter = 0;

beforeAll(async () => {
  h = await createHarness({ FLEETFLASH_AGENT_LONG_POLL: '1' });
  ({ base, secret } = await h.listenForAgents());
}, 60_000);

afterAll(async () => {
  await h?.close();
});

function enroll(): Promise<RawAgent> {
  macCounter += 1;
  const mac = `02:ad:00:00:00:${macCounter.toString(16).padStart(2, '0')}`;
  return RawAgent.enroll({ base, organization: h.organizationSlug, secret, mac });
}

describe('managing an agent device over SSH again', () => {
  it('revokes its tokens, refuses its agent from then on, and is audit-logged', async () => {
    const agent = await enroll();
    expect((await agent.poll()).status).toBe(200);
    const switched = await h.api.post(`/api/v1/devices/${agent.deviceId}/manage-over-ssh/`, {});
    expect(switched.statusCode, switched.body).toBe(204);
    expect((await h.api.get(`/api/v1/devices/${agent.deviceId}/`)).json().management).toBe('ssh');
    const refused = await agent.poll();
    expect(refused.status).toBe(401);
    expect(refused.lines.code).toBe('AgentTokenInvalid');
    const audit = (await h.api.get('/api/v1/audit-log/?action=device.managed_over_ssh')).json();
    expect(audit.results.map((entry: { target_id: string }) => entry.target_id)).toContain(agent.deviceId);
    // Only enrollment makes it agent-managed again.
    const again = await h.api.post(`/api/v1/devices/${agent.deviceId}/manage-over-ssh/`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AgentNotEnrolled', detail: 'The device is managed over SSH already.' });
    const reenrolled = await RawAgent.enroll({
      base,
      organization: h.organizationSlug,
      secret,
      mac: `02:ad:00:00:00:${macCounter.toString(16).padStart(2, '0')}`,
    });
    expect(reenrolled.deviceId).toBe(agent.deviceId);
    expect((await h.api.get(`/api/v1/devices/${agent.deviceId}/`)).json().management).toBe('agent');
  });

  it('is refused while an operation of the device waits for its agent', async () => {
    const agent = await enroll();
    const { imageId } = await h.addImage({ size: 64 * 1024 });
    const operationId = await h.upgrade(agent.deviceId, imageId);
    const refused = await h.api.post(`/api/v1/devices/${agent.deviceId}/manage-over-ssh/`, {});
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe('UpgradeAlreadyRunning');
    expect(refused.json().detail).toContain(operationId);
    expect((await h.api.get(`/api/v1/devices/${agent.deviceId}/`)).json().management).toBe('agent');
  });

  it('answers 404 for a device the caller cannot see', async () => {
    const response = await h.api.post('/api/v1/devices/00000000-0000-4000-8000-000000000000/manage-over-ssh/', {});
    expect(response.statusCode).toBe(404);
  });
});
