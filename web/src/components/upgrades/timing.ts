import { useCallback, useEffect, useRef, useState } from 'react';

/** The value, once it has not changed for `delay` ms (search boxes and filters typed letter by letter). */
export function useDebounced<T>(value: T, delay = 350): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/**
 * A function that runs `action` at most once per `interval` ms, trailing: a burst of calls (live
 * events) gives one call at its start and one after it. Pending calls are dropped on unmount.
 */
export function useThrottled(action: () => void, interval = 1000): () => void {
  const latest = useRef(action);
  latest.current = action;
  const last = useRef(0);
  const timer = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current !== null) return;
    const wait = Math.max(0, last.current + interval - Date.now());
    timer.current = window.setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      latest.current();
    }, wait);
  }, [interval]);
}
