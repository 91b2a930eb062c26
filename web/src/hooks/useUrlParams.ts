import { useCallback } from 'react';
import { type NavigateOptions, useSearchParams } from 'react-router';

/**
 * The page's query parameters, and a change to them that starts from the URL as it is now.
 *
 * React Router hands a `setSearchParams` updater the parameters of the last render, so two changes
 * made before the page renders again (two filters chosen in quick succession) lose the first one.
 * `changeParams` reads the address bar instead, which the router updates at once. The third element
 * replaces the parameters outright.
 */
export function useUrlParams(): [
  URLSearchParams,
  (edit: (next: URLSearchParams) => void, options?: NavigateOptions) => void,
  (next: URLSearchParams, options?: NavigateOptions) => void,
] {
  const [params, setParams] = useSearchParams();
  const changeParams = useCallback(
    (edit: (next: URLSearchParams) => void, options?: NavigateOptions) => {
      const next = new URLSearchParams(window.location.search);
      edit(next);
      setParams(next, options);
    },
    [setParams],
  );
  return [params, changeParams, setParams];
}
