import type { SshSession } from '../ssh-session.js';
import { UpgradeAborted, type UpgradeContext } from '../upgrader.js';
import { parseDfAvailableKb, parseMemAvailableKb } from './device-facts.js';
import { joinCommands, type OpenWrtRemote, splitAnswers } from './remote.js';

/** Services that can be stopped to free memory for the image; never dropbear or the network. */
export const NON_CRITICAL_SERVICES = ['uhttpd', 'dnsmasq', 'odhcpd', 'cron', 'rpcd', 'collectd', 'statistics'];

/** Room the image needs besides itself: sysupgrade and its stage-2 ramdisk need some memory too. */
const MEMORY_MARGIN_KB = 4096;
const TMP_MARGIN_KB = 512;

/**
 * Room for the image before it is sent: enough memory and /tmp, freed by dropping caches and then by
 * stopping non-critical services. The services stopped are recorded on the operation, so that they are
 * restarted if the upgrade does not go ahead, even by a later attempt after a crash.
 */
export class ImageRoom {
  private readonly ctx: UpgradeContext;
  private readonly stopped = new Set<string>();

  constructor(private readonly remote: OpenWrtRemote) {
    this.ctx = remote.ctx;
    for (const service of this.ctx.stoppedServices) this.stopped.add(service);
  }

  /** Whether services are stopped for the upgrade (and so must be restarted if it does not go ahead). */
  get servicesStopped(): boolean {
    return this.stopped.size > 0;
  }

  /** Restarts services a crashed earlier attempt left stopped. */
  async restartServicesLeftStopped(session: SshSession): Promise<void> {
    if (this.stopped.size === 0) return;
    await this.ctx.log(
      `Restarting services an interrupted attempt left stopped: ${[...this.stopped].join(', ')}.`,
      'warning',
    );
    await this.restartStoppedServices(session, this.ctx.signal);
  }

  /** Enough RAM and /tmp for the image; drop caches, then stop non-critical services, only if needed. */
  async makeRoom(session: SshSession): Promise<void> {
    const imageKb = Math.ceil(this.ctx.image.size / 1024);
    const measure = async () => {
      const both = await this.remote.run1(session, joinCommands(['cat /proc/meminfo', 'df -k /tmp']));
      const [meminfo = '', df = ''] = splitAnswers(both.stdout, 2);
      return { memKb: parseMemAvailableKb(meminfo), tmpKb: parseDfAvailableKb(df) };
    };
    const enough = ({ memKb, tmpKb }: { memKb: number | null; tmpKb: number | null }) =>
      (memKb === null || memKb >= imageKb + MEMORY_MARGIN_KB) && (tmpKb === null || tmpKb >= imageKb + TMP_MARGIN_KB);
    const describe = ({ memKb, tmpKb }: { memKb: number | null; tmpKb: number | null }) =>
      `${memKb === null ? '?' : Math.floor(memKb / 1024)} MiB of memory ` +
      `and ${tmpKb === null ? '?' : Math.floor(tmpKb / 1024)} MiB in /tmp available, the image ` +
      `needs ${(imageKb / 1024).toFixed(1)} MiB`;

    let room = await measure();
    if (enough(room)) {
      await this.ctx.log(`Room for the image: ${describe(room)}.`);
      return;
    }
    await this.ctx.log(`Not enough room yet (${describe(room)}): dropping caches.`, 'warning');
    await this.remote.run1(session, 'rm -rf /tmp/opkg-lists && sync && echo 3 > /proc/sys/vm/drop_caches', {
      anyExit: true,
    });
    room = await measure();
    if (enough(room)) {
      await this.ctx.log(`Room for the image after dropping caches: ${describe(room)}.`);
      return;
    }
    const present = (await this.remote.run1(session, `ls /etc/init.d/`, { anyExit: true })).stdout.split(/\s+/);
    const toStop = NON_CRITICAL_SERVICES.filter((service) => present.includes(service) && !this.stopped.has(service));
    await this.ctx.log(
      `Still not enough room (${describe(room)}): stopping non-critical ` +
        `services ${toStop.join(', ') || '(none found)'}. They are restarted if the upgrade does not go ahead.`,
      'warning',
    );
    for (const service of toStop) this.stopped.add(service);
    await this.ctx.recordStoppedServices([...this.stopped]);
    for (const service of toStop) await this.remote.run1(session, `/etc/init.d/${service} stop`, { anyExit: true });
    await this.remote.run1(session, 'sync && echo 3 > /proc/sys/vm/drop_caches', { anyExit: true });
    room = await measure();
    if (!enough(room)) {
      throw new UpgradeAborted(
        'insufficient-memory',
        `Not enough room for the image even with services stopped: ${describe(room)}. Nothing was changed; the ` +
          `services were restarted.`,
      );
    }
    await this.ctx.log(`Room for the image with services stopped: ${describe(room)}.`);
  }

  async restartStoppedServices(session: SshSession, signal?: AbortSignal): Promise<void> {
    for (const service of this.stopped) {
      await session
        .exec(`/etc/init.d/${service} start`, {
          timeoutMs: this.remote.commandTimeoutMs,
          ...(signal ? { signal } : {}),
        })
        .catch(() => {});
    }
    this.stopped.clear();
    await this.ctx.recordStoppedServices([]).catch(() => {});
  }
}
