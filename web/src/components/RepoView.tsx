import { useState } from 'react';
import { getRepoDetails, getStarHistory } from '../api/client';
import type { StarHistoryInterval } from '../api/types';
import { useFetch } from '../hooks/use-fetch';
import { FailureState } from './FailureState';
import { RepoDetailsPanel } from './RepoDetailsPanel';
import { StarHistorySection } from './StarHistorySection';

interface Props {
  owner: string;
  name: string;
  onBack: () => void;
  now: Date;
}

/**
 * A repository of the account: its details and its star history, each its own request, so a
 * history store that is down leaves the details standing.
 */
export function RepoView({ owner, name, onBack, now }: Props) {
  const key = `${owner}/${name}`.toLowerCase();
  const [details, retryDetails] = useFetch(`repo:${key}`, (signal) =>
    getRepoDetails(owner, name, signal),
  );
  const [interval, setStarInterval] = useState<StarHistoryInterval>('day');
  const [stars, retryStars] = useFetch(`star-history:${key}:${interval}`, (signal) =>
    getStarHistory(owner, name, interval, signal),
  );
  const retry = (): void => {
    retryDetails();
    retryStars();
  };

  return (
    <div className="dashboard repo-view">
      <nav aria-label="Repository">
        <button type="button" className="button" onClick={onBack}>
          <span aria-hidden="true">←</span> Back to {owner}’s repositories
        </button>
      </nav>
      {details.status === 'error' ? (
        details.failure.kind === 'not-found' ? (
          <section className="panel failure failure--not-found" role="alert">
            <div>
              <h1 className="failure__title">
                No repository named “{owner}/{name}”
              </h1>
              <p>GitHub has no public repository by that name.</p>
            </div>
          </section>
        ) : (
          <FailureState
            failure={details.failure}
            login={`${owner}/${name}`}
            now={now}
            onRetry={retry}
          />
        )
      ) : details.status === 'success' ? (
        <RepoDetailsPanel repo={details.value.data} />
      ) : (
        <p className="repos__loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading {owner}/{name}…
        </p>
      )}
      {!(details.status === 'error' && details.failure.kind === 'not-found') && (
        <StarHistorySection history={stars} interval={interval} onInterval={setStarInterval} />
      )}
    </div>
  );
}
