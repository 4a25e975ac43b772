import { useCallback, useEffect, useState } from 'react';
import { type DashboardLocation, readLocation, writeLocation } from '../location';

/**
 * The dashboard's state lives in the address bar. A new search is a new history entry (Back
 * returns to the previous account); changing the table's sort, filter or page replaces it.
 */
export function useLocationState(): [
  DashboardLocation,
  (next: DashboardLocation, how: 'push' | 'replace') => void,
] {
  const [location, setLocation] = useState(() => readLocation(window.location.search));

  useEffect(() => {
    const onPopState = (): void => setLocation(readLocation(window.location.search));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((next: DashboardLocation, how: 'push' | 'replace') => {
    const url = `${window.location.pathname}${writeLocation(next)}`;
    if (how === 'push') {
      window.history.pushState(null, '', url);
    } else {
      window.history.replaceState(null, '', url);
    }
    setLocation(next);
  }, []);

  return [location, navigate];
}
