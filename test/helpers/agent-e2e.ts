import { expect } from 'vitest';
import { type AgentProxy, startAgentProxy } from './agent-proxy.js';
import { type BusyboxRouter, startBusyboxRouter } from './busybox-router.js';
import { createHarness, type Harness } from './upgrade-harness.js';

/**
 * The set-up of the tests that run the real agent script under busybox (test/helpers/busybox-router.ts)
 * against the real server and worker: the server listens on 127.0.0.1, the agent reaches it only through a
 * proxy (test/helpers/agent-proxy.ts) whose address is the server's public URL, the organization has a
 * registration secret, and each router gets its own MAC (so its own device).
 */
export interface AgentE2e {
  h: Harness;
  proxy: AgentProxy;
  secret: string;
  /** A new router (its own MAC), not enrolled; stopped by stopRouters. */
  newRouter(): BusyboxRouter;
  /** A new router, enrolled through the proxy, its service running. */
  enrolledRouter(): Promise<{ router: BusyboxRouter; deviceId: string }>;
  /** Stops the routers started so far (afterEach). */
  stopRouters(): Promise<void>;
  close(): Promise<void>;
}

/** Starts it; `env` adds settings (short agent timeouts and reboot waits suit these tests). */
export async function startAgentE2e(env: Record<string, string>, macPrefix: string): Promise<AgentE2e> {
  let serverUrl = '';
  const proxy = await startAgentProxy(() => serverUrl);
  const h = await createHarness({ ...env, FLEETFLASH_PUBLIC_URL: proxy.url });
  const { base, secret } = await h.listenForAgents();
  serverUrl = base;
  await h.startWorker();
  let count = 0;
  let routers: BusyboxRouter[] = [];
  const newRouter = () => {
    count += 1;
    const router = startBusyboxRouter({ mac: `${macPrefix}:${count.toString(16).padStart(2, '0')}` });
    routers.push(router);
    return router;
  };
  return {
    h,
    proxy,
    secret,
    newRouter,
    async enrolledRouter() {
      const router = newRouter();
      const result = await router.agent(['enroll', proxy.url, h.organizationSlug, secret]);
      expect(result.code, result.stderr).toBe(0);
      const deviceId = /as device ([0-9a-f-]{36})/.exec(result.stdout)![1]!;
      router.startService();
      return { router, deviceId };
    },
    async stopRouters() {
      await Promise.all(routers.map((router) => router.stop()));
      routers = [];
    },
    async close() {
      await h.close();
      await proxy.close();
    },
  };
}
