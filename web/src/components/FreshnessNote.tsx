import type { Fetched } from '../api/types';
import { formatRelative } from '../format';
import { Icon } from './Icon';

interface Props {
  parts: Fetched<unknown>[];
  now: Date;
  onRefresh: () => void;
}

/**
 * How old the data is. When the service answered from its cache past freshness (`X-Cache:
 * STALE`: GitHub failed, is rate limited, or a refresh is on its way), that is said plainly with
 * the data's age; otherwise a quiet "updated … ago".
 */
export function FreshnessNote({ parts, now, onRefresh }: Props) {
  const oldest = parts.reduce((a, b) => (a.fetchedAt <= b.fetchedAt ? a : b));
  const stale = parts.some((part) => part.cache === 'STALE');
  const age = (
    <time dateTime={oldest.fetchedAt.toISOString()} title={oldest.fetchedAt.toLocaleString()}>
      {formatRelative(oldest.fetchedAt, now)}
    </time>
  );
  if (!stale) {
    return (
      <p className="freshness" aria-live="polite">
        Updated {age}
      </p>
    );
  }
  return (
    <div className="panel notice notice--stale" role="status">
      <span className="notice__icon">
        <Icon name="refresh" size={24} />
      </span>
      <p>
        <strong>Showing saved data from {age}.</strong> GitHub could not confirm it just now, so
        numbers may have changed since; the service is asking GitHub again.
      </p>
      <button className="button" type="button" onClick={onRefresh}>
        Check again
      </button>
    </div>
  );
}
