import { useCallback, useEffect, useState } from 'react';
import { type DashboardLocation, readLocation, writeLocation } from '../location';

/** What the page keeps in a history entry beside its address. */
interface EntryState {
  /** The entry was pushed by opening a repository from the table: Back can return to it. */
  fromTable?: boolean;
}

export type Navigate = (
  next: DashboardLocation,
  how: 'push' | 'replace',
  state?: EntryState,
) => void;

/**
 * The dashboard's state lives in the address bar. A new search is a new history entry (Back
 * returns to the previous account); changing the table's sort, filter or page replaces it;
 * opening a repository pushes one, so the browser's Back returns to the table.
 */
export function useLocationState(): [DashboardLocation, Navigate] {
  const [location, setLocation] = useState(() => readLocation(window.location.search));

  useEffect(() => {
    const onPopState = (): void => setLocation(readLocation(window.location.search));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback<Navigate>((next, how, state) => {
    const url = `${window.location.pathname}${writeLocation(next)}`;
    if (how === 'push') {
      window.history.pushState(state ?? null, '', url);
    } else {
      window.history.replaceState(state ?? null, '', url);
    }
    setLocation(next);
  }, []);

  return [location, navigate];
}

/** Whether the current entry was opened from the table (it survives a reload, unlike memory). */
export function openedFromTable(): boolean {
  const state = window.history.state as EntryState | null;
  return state?.fromTable === true;
}
