import { useEffect, useRef } from 'react';

export type LiveEventType = 'operation' | 'log' | 'batch' | 'build';

/**
 * Follows the server's live events (Server-Sent Events at /api/v1/events/) with the given filter,
 * e.g. `{ batch: id }`, `{ operation: id }`, `{ build: hash }`. The browser reconnects by itself and
 * resumes with Last-Event-ID. `onEvent` may change between renders; null `filter` = not connected.
 */
export function useEvents(filter: Record<string, string> | null, onEvent: (type: LiveEventType, data: Record<string, unknown>) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = filter ? new URLSearchParams(filter).toString() : null;
  useEffect(() => {
    if (key === null) return undefined;
    const source = new EventSource(`/api/v1/events/?${key}`, { withCredentials: true });
    const types: LiveEventType[] = ['operation', 'log', 'batch', 'build'];
    const listeners = types.map((type) => {
      const listener = (event: MessageEvent<string>) => handler.current(type, JSON.parse(event.data) as Record<string, unknown>);
      source.addEventListener(type, listener);
      return [type, listener] as const;
    });
    return () => {
      for (const [type, listener] of listeners) source.removeEventListener(type, listener);
      source.close();
    };
  }, [key]);
}
