/** A Server-Sent Events client for tests: reads a real HTTP stream (fetch) in the background. */

export interface SseMessage {
  /** Undefined for messages without an id (e.g. `event: revoked`). */
  id: number | undefined;
  event: string;
  data: Record<string, any> | undefined;
}

export interface OpenStream {
  status: number;
  messages: SseMessage[];
  /** Everything received, comments included. */
  text(): string;
  /**
   * The id a browser would send as Last-Event-ID on reconnecting: the last `id:` line seen, also
   * from blocks without data (which set it without firing an event).
   */
  lastEventId(): string | undefined;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  isEnded(): boolean;
  /** Waits until `predicate` holds for the messages so far; throws after `timeoutMs`. */
  waitFor(predicate: (messages: SseMessage[]) => boolean, timeoutMs: number, what: string): Promise<void>;
  waitForEnd(timeoutMs: number, what: string): Promise<void>;
  close(): void;
}

function parseFields(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
  }
  return fields;
}

function parseBlock(block: string): SseMessage | null {
  const fields = parseFields(block);
  if (fields.event === undefined && fields.data === undefined) return null;
  return {
    id: fields.id !== undefined ? Number(fields.id) : undefined,
    event: fields.event ?? 'message',
    data: fields.data !== undefined ? JSON.parse(fields.data) : undefined,
  };
}

export async function openStream(url: string, headers: Record<string, string>): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const messages: SseMessage[] = [];
  let raw = '';
  let lastEventId: string | undefined;
  let ended = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const endedPromise = (async () => {
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        raw += chunk;
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          lastEventId = parseFields(block).id ?? lastEventId;
          const message = parseBlock(block);
          buffer = buffer.slice(end + 2);
          if (message) messages.push(message);
        }
        notify();
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      ended = true;
      notify();
    }
  })();
  const waitUntil = (condition: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (condition()) {
          cleanUp();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages.slice(-5))}`));
      }, timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return {
    status: response.status,
    messages,
    text: () => raw,
    lastEventId: () => lastEventId,
    ended: endedPromise,
    isEnded: () => ended,
    waitFor: (predicate, timeoutMs, what) => waitUntil(() => predicate(messages), timeoutMs, what),
    waitForEnd: (timeoutMs, what) => waitUntil(() => ended, timeoutMs, what),
    close: () => controller.abort(),
  };
}
