import { useCallback, useEffect, useState } from 'react';
import { ApiError, type ApiFailure } from '../api/api-error';

export type FetchState<T> =
  | { status: 'idle' }
  | { status: 'loading'; previous?: T }
  | { status: 'success'; value: T }
  | { status: 'error'; failure: ApiFailure; previous?: T };

/**
 * Runs `load` whenever `key` changes (null: nothing to load) and aborts the request it replaces,
 * so a slow answer for an earlier search can never overwrite a later one. While a new key loads,
 * the last value stays available as `previous` (the table keeps its rows instead of jumping).
 */
export function useFetch<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
): [FetchState<T>, () => void] {
  const [state, setState] = useState<FetchState<T>>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState((current) => ({ status: 'loading', previous: valueOf(current) }));
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) {
          setState({ status: 'success', value });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState((current) => ({
            status: 'error',
            failure: failureFrom(error),
            previous: valueOf(current),
          }));
        }
      },
    );
    return () => controller.abort();
    // `load` is re-created on every render; the key alone says when the request changes.
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return [state, retry];
}

function valueOf<T>(state: FetchState<T>): T | undefined {
  if (state.status === 'success') {
    return state.value;
  }
  return state.status === 'loading' || state.status === 'error' ? state.previous : undefined;
}

function failureFrom(error: unknown): ApiFailure {
  if (error instanceof ApiError) {
    return error.failure;
  }
  // A 200 whose body is not our JSON (a captive portal, a broken proxy).
  return { kind: 'unavailable', status: null, detail: 'The answer could not be read.' };
}
