import { randomBytes } from 'node:crypto';
import type { Release } from './router-state.js';
import { AgentHttp } from './agent-http.js';
import { SimulatedAgentRouter } from './agent-router.js';
import { type FaultName, type Faults, type RouterDescription, SimulatedRouter } from './router.js';

/**
 * A fleet of simulated routers in one process: N routers on loopback ports, each with a board
 * from a small catalogue, optional seeded faults, and optional registration with a running
 * fleetflash (so they appear in its inventory, and are re-registered when their address changes).
 */

export interface BoardSpec {
  boardName: string;
  model: string;
  target: string;
  /** Image type of this board in fleetflash's hardware table. */
  imageType: string;
}

/** Boards the simulator plays, all present in fleetflash's hardware table. */
export const SIMULATED_BOARDS: readonly BoardSpec[] = [
  {
    boardName: 'tplink,archer-c7-v2',
    model: 'TP-Link Archer C7 v2',
    target: 'ath79/generic',
    imageType: 'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
  },
  {
    boardName: 'glinet,gl-mt3000',
    model: 'GL.iNet GL-MT3000',
    target: 'mediatek/filogic',
    imageType: 'mediatek-filogic-glinet_gl-mt3000-squashfs-sysupgrade.bin',
  },
];

export const DEFAULT_RELEASE: Omit<Release, 'target'> = {
  distribution: 'OpenWrt',
  version: '23.05.2',
  revision: 'r23630-842932a63d',
};

export interface FleetOptions {
  count: number;
  host?: string;
  /** First port; routers take consecutive ports. 0 lets the system choose each. */
  basePort?: number;
  /** Seed of the fault assignment and of the MAC addresses: the same seed makes the same fleet. */
  seed?: number;
  boards?: readonly BoardSpec[];
  release?: Omit<Release, 'target'>;
  username?: string;
  password?: string;
  rebootMs?: number;
  /** Share of routers (0–1) that get one fault from `faults`. */
  faultRate?: number;
  faults?: readonly FaultName[];
  /** Register every router with a running fleetflash (agent mode: enroll with it). */
  register?: { url: string; organization: string; secret: string };
  /**
   * `ssh` (default): routers with an SSH server the server connects to. `agent`: routers behind NAT that run
   * the pull agent (no SSH server; they enroll with `register` and poll it).
   */
  mode?: 'ssh' | 'agent';
  /** Agent mode: each agent's first poll at a random moment of the first interval (benchmarks). */
  spreadAgentPolls?: boolean;
  /** Agent mode: called after every answered poll (round trip in ms, action); for benchmarks. */
  onAgentPoll?: (router: SimulatedAgentRouter, milliseconds: number, action: string) => void;
  namePrefix?: string;
  onLog?: (message: string) => void;
}

/** Deterministic pseudo-random numbers (mulberry32): the seed decides who is faulty. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function faultsFor(
  name: FaultName,
  random: () => number,
  board: BoardSpec,
): { faults: Faults; memTotalKb?: number } {
  switch (name) {
    case 'transfer-cut':
      return { faults: { transferCutAt: 1024 + Math.floor(random() * 65536) } };
    case 'auth-refused':
      return { faults: { authRefused: true } };
    case 'never-returns':
      return { faults: { neverReturns: true } };
    case 'old-release':
      return { faults: { returnsOldRelease: true } };
    case 'slow-link':
      return { faults: { slowLinkBytesPerSecond: 256 * 1024 } };
    case 'low-memory':
      return { faults: {}, memTotalKb: 40_000 };
    case 'board-mismatch':
      return {
        faults: {
          boardMismatch: board.boardName === 'tplink,archer-c7-v2' ? 'tplink,archer-c7-v5' : 'glinet,gl-mt6000',
        },
      };
    case 'changed-host-key':
      return { faults: { changedHostKey: true } };
    case 'wrong-address':
      return { faults: { wrongAddressAfterReboot: true } };
    case 'backup-fails':
      return { faults: { backupFails: true } };
    case 'health-fails':
      // The WAN stays down after the upgrade: the documented WAN probe (docs/operations.md) fails.
      return { faults: { probeFails: 'network.interface.wan' } };
    case 'pull-blocked':
      return { faults: { pullBlocked: true } };
  }
}

export class Fleet {
  readonly routers: SimulatedRouter[] = [];
  /** The routers of an agent-mode fleet (then `routers` is empty). */
  readonly agents: SimulatedAgentRouter[] = [];
  /** The agents' connections: closed when the fleet stops. */
  private readonly agentHttp = new AgentHttp();

  constructor(private readonly options: FleetOptions) {
    const random = seededRandom(options.seed ?? 1);
    const boards = options.boards ?? SIMULATED_BOARDS;
    const release = options.release ?? DEFAULT_RELEASE;
    for (let index = 0; index < options.count; index += 1) {
      const board = boards[index % boards.length]!;
      const mac = [
        '02',
        ...Array.from({ length: 5 }, () =>
          Math.floor(random() * 256)
            .toString(16)
            .padStart(2, '0'),
        ),
      ].join(':');
      let faults: Faults = {};
      let memTotalKb: number | undefined;
      const faultNames = options.faults ?? [];
      if (faultNames.length > 0 && random() < (options.faultRate ?? 0)) {
        const chosen = faultsFor(faultNames[Math.floor(random() * faultNames.length)]!, random, board);
        faults = chosen.faults;
        memTotalKb = chosen.memTotalKb;
      }
      const name = `${options.namePrefix ?? 'sim'}-${String(index + 1).padStart(4, '0')}`;
      if (options.mode === 'agent') {
        if (!options.register) throw new Error('agent-mode routers need a server to enroll with (register)');
        this.agents.push(
          new SimulatedAgentRouter({
            name,
            macAddress: mac,
            boardName: board.boardName,
            model: board.model,
            release: { ...release, target: board.target },
            server: options.register,
            http: this.agentHttp,
            ...(options.onAgentPoll ? { onPoll: options.onAgentPoll } : {}),
            ...(options.spreadAgentPolls ? { spreadFirstPoll: true } : {}),
            rebootMs: options.rebootMs ?? 3000,
            faults,
            ...(memTotalKb ? { memTotalKb } : {}),
            ...(options.onLog ? { onLog: options.onLog } : {}),
          }),
        );
        continue;
      }
      this.routers.push(
        new SimulatedRouter({
          name,
          macAddress: mac,
          boardName: board.boardName,
          model: board.model,
          release: { ...release, target: board.target },
          host: options.host ?? '127.0.0.1',
          port: options.basePort ? options.basePort + index : 0,
          username: options.username ?? 'root',
          password: options.password ?? 'simulated',
          rebootMs: options.rebootMs ?? 3000,
          faults,
          ...(memTotalKb ? { memTotalKb } : {}),
          onAddressChange: (router) => void this.registerOne(router),
        }),
      );
    }
  }

  async start(): Promise<void> {
    // Agents enroll in slices too: each enrollment is a request with a password-strength secret check.
    for (let i = 0; i < this.agents.length; i += 20)
      await Promise.all(this.agents.slice(i, i + 20).map((agent) => agent.start()));
    // Start in slices: a thousand listeners at once is fine, a thousand key generations in one tick less so.
    for (let i = 0; i < this.routers.length; i += 100)
      await Promise.all(this.routers.slice(i, i + 100).map((router) => router.start()));
    if (this.options.register) {
      for (let i = 0; i < this.routers.length; i += 20)
        await Promise.all(this.routers.slice(i, i + 20).map((router) => this.registerOne(router)));
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.routers, ...this.agents].map((router) => router.stop()));
    this.agentHttp.close();
  }

  describe(): RouterDescription[] {
    return [...this.routers, ...this.agents].map((router) => router.describe());
  }

  byMac(mac: string): SimulatedRouter | undefined {
    return this.routers.find((router) => router.describe().mac_address === mac);
  }

  async registerOne(router: SimulatedRouter): Promise<void> {
    const register = this.options.register;
    if (!register) return;
    const description = router.describe();
    const response = await fetch(`${register.url.replace(/\/$/, '')}/api/v1/devices/register/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organization: register.organization,
        secret: register.secret,
        mac_address: description.mac_address,
        name: description.name,
        model: description.model,
        board_name: description.board_name,
        os: description.os,
        management_ip: description.host,
        ssh_port: description.port,
      }),
    });
    if (!response.ok) {
      const answer = await response.text();
      this.options.onLog?.(`registration of ${description.name} failed: ${response.status} ${answer}`);
      if (answer.includes('DeviceAddressNotAllowed') && answer.includes('allow_loopback')) {
        this.options.onLog?.(
          'simulated routers listen on 127.0.0.1: start the server with FLEETFLASH_DEVICE_ALLOW_LOOPBACK=true',
        );
      }
      throw new Error(`registration of ${description.name} failed with ${response.status}`);
    }
  }
}

/** A random password for a simulated fleet when none is given. */
export function randomPassword(): string {
  return randomBytes(9).toString('base64url');
}
