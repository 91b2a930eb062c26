import { useEffect, useRef } from 'react';
import { useSession } from './useSession';

export type LiveEventType = 'operation' | 'log' | 'batch' | 'build';

/**
 * Wait before opening a new stream after the browser gave one up (e.g. the server answered 503); doubles up to the max.
 */
const RECONNECT_DELAY_MS = 3000;
const RECONNECT_DELAY_MAX_MS = 60_000;

/**
 * Follows the server's live events (Server-Sent Events at /api/v1/events/) with the given filter,
 * e.g. `{ batch: id }`, `{ operation: id }`, `{ build: hash }`. `onEvent` may change between
 * renders; null `filter` = not connected.
 *
 * The server ends a stream now and then (its maximum lifetime): the browser reconnects by itself
 * and resumes with Last-Event-ID. When the server ends it with `revoked` (the session ended, the
 * account or the followed object is no longer accessible), or the browser gives up reconnecting
 * (an answer other than 200, such as 401 or 503), the hook asks the server who is logged in: if
 * nobody, the layout sends the user to the login page; otherwise it opens a new stream after a
 * pause, resuming after the last event it received.
 */
export function useEvents(
  filter: Record<string, string> | null,
  onEvent: (type: LiveEventType, data: Record<string, unknown>) => void,
): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const { refresh } = useSession();
  const key = filter ? new URLSearchParams(filter).toString() : null;
  useEffect(() => {
    if (key === null) return undefined;
    let source: EventSource | null = null;
    let lastEventId: string | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    let delay = RECONNECT_DELAY_MS;
    const types: LiveEventType[] = ['operation', 'log', 'batch', 'build'];

    const reconnectLater = () => {
      source?.close();
      source = null;
      void refresh();
      if (!stopped && retryTimer === null) {
        retryTimer = setTimeout(() => {
          retryTimer = null;
          connect();
        }, delay);
        delay = Math.min(delay * 2, RECONNECT_DELAY_MAX_MS);
      }
    };

    function connect() {
      if (stopped) return;
      // A new EventSource does not send Last-Event-ID by itself: resume through the query instead.
      // The browser keeps this URL for its own reconnections, then also sends a newer
      // Last-Event-ID header: the server resumes after the later of the two.
      const resume = lastEventId !== null ? `&last_event_id=${encodeURIComponent(lastEventId)}` : '';
      const opened = new EventSource(`/api/v1/events/?${key}${resume}`, { withCredentials: true });
      source = opened;
      for (const type of types) {
        opened.addEventListener(type, (event: MessageEvent<string>) => {
          if (event.lastEventId) lastEventId = event.lastEventId;
          handler.current(type, JSON.parse(event.data) as Record<string, unknown>);
        });
      }
      opened.addEventListener('open', () => {
        delay = RECONNECT_DELAY_MS;
      });
      opened.addEventListener('revoked', reconnectLater);
      opened.addEventListener('error', () => {
        // CONNECTING: the browser retries by itself. CLOSED: it gave up.
        if (opened.readyState === EventSource.CLOSED) reconnectLater();
      });
    }

    connect();
    return () => {
      stopped = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      source?.close();
    };
  }, [key, refresh]);
}
