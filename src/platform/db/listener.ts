import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * A dedicated connection LISTENing to PostgreSQL channels, reconnecting after a failure (with a
 * short pause). While it is down, callers rely on their polling fallback: no notification is
 * required for correctness, only for promptness. Notifications sent while it was down are lost:
 * `onReconnect` (called once the channels are listened to again) lets a caller catch up.
 */
export class NotificationListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private connectedBefore = false;

  constructor(
    private readonly connectionString: string,
    private readonly channels: readonly string[],
    private readonly onNotification: (channel: string, payload: string) => void,
    private readonly logger: Logger,
    private readonly onReconnect?: () => void,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'fleetflash-listener' });
    client.on('notification', (message) => this.onNotification(message.channel, message.payload ?? ''));
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'notification listener lost its connection; reconnecting');
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      this.client = client;
      if (this.connectedBefore) this.onReconnect?.();
      this.connectedBefore = true;
    } catch (error) {
      this.logger.warn({ err: error }, 'notification listener cannot connect; retrying');
      this.scheduleReconnect(client);
    }
  }

  private scheduleReconnect(client: pg.Client): void {
    if (this.stopped || this.retryTimer || (this.client !== null && this.client !== client)) return;
    this.client = null;
    client.end().catch(() => {});
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, 1000);
  }

  /**
   * Resolves true once every notification committed before this call has been handed to
   * `onNotification`: a query on the listening connection is answered only after the
   * notifications PostgreSQL already signalled to it. False when the connection is down.
   */
  async sync(): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    try {
      await client.query('SELECT 1');
      return this.client === client;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
