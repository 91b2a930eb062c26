import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  /** Loads again (keeps the old data on screen meanwhile). */
  reload: () => Promise<void>;
  /** Replaces the data locally (after a change the server confirmed, or a live event). */
  setData: (update: T | ((current: T | undefined) => T)) => void;
}

/** Loads data for a page; a newer load wins over an older one still in flight. */
export function useLoad<T>(loader: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps say when its loader changes
  const load = useCallback(loader, deps);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await load();
      if (mine === generation.current) {
        setDataState(value);
        setError(null);
      }
    } catch (caught) {
      if (mine === generation.current) setError(caught as Error);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const setData = useCallback((update: T | ((current: T | undefined) => T)) => {
    setDataState((current) =>
      typeof update === 'function' ? (update as (value: T | undefined) => T)(current) : update,
    );
  }, []);
  return { data, error, loading, reload, setData };
}
