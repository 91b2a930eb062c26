import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

/**
 * The HTTP client of simulated agents: node:http with a keep-alive agent of the fleet's own, so that
 * stopping the fleet closes its connections, as a router that powers off drops its TCP connections (fetch's
 * shared pool would keep them open, and a server would wait for them when it shuts down).
 */
export class AgentHttp {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });

  /** Sends a request; resolves with the response (its body not read yet). */
  request(
    url: string,
    options: { method: string; headers?: Record<string, string>; body?: string | Buffer; signal: AbortSignal },
  ): Promise<IncomingMessage> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(target, {
        method: options.method,
        headers: options.headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
        signal: options.signal,
      });
      request.once('response', resolve);
      request.once('error', reject);
      request.end(options.body);
    });
  }

  /** Sends a request and reads the whole answer as text. */
  async text(
    url: string,
    options: { method: string; headers?: Record<string, string>; body?: string | Buffer; signal: AbortSignal },
  ): Promise<{ status: number; text: string }> {
    const response = await this.request(url, options);
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    return { status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') };
  }

  /** Closes every connection, idle or busy. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
