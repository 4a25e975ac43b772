import { type ReactNode, useId } from 'react';
import type { ApiFailure } from '../api/api-error';
import { formatRelative, formatTime } from '../format';
import { Icon, type IconName } from './Icon';

interface Props {
  failure: ApiFailure;
  login: string;
  now: Date;
  onRetry: () => void;
  /** Inside the repository table rather than in place of the whole dashboard. */
  inline?: boolean;
}

/** Says what went wrong in the reader's terms, and what they can do about it. */
export function FailureState({ failure, login, now, onRetry, inline = false }: Props) {
  const Heading = inline ? 'h3' : 'h2';
  const { title, body, canRetry } = explain(failure, login, now);
  const titleId = useId();
  return (
    <section
      className={`panel failure failure--${failure.kind}${inline ? ' failure--inline' : ''}`}
      role="alert"
      aria-labelledby={titleId}
    >
      <span className="failure__icon">
        <Icon name={ICONS[failure.kind]} size={24} />
      </span>
      <div>
        <Heading id={titleId} className="failure__title">
          {title}
        </Heading>
        {body}
        {canRetry && (
          <button className="button" type="button" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </section>
  );
}

const ICONS: Record<ApiFailure['kind'], IconName> = {
  'not-found': 'question',
  'rate-limited': 'clock',
  unavailable: 'alert',
  invalid: 'alert',
};

function explain(
  failure: ApiFailure,
  login: string,
  now: Date,
): { title: string; body: ReactNode; canRetry: boolean } {
  switch (failure.kind) {
    case 'not-found':
      return {
        title: `No account named “${login}”`,
        body: (
          <p>
            GitHub has no user or organisation with that login. Check the spelling, or search for
            another account.
          </p>
        ),
        canRetry: false,
      };
    case 'rate-limited': {
      const ready = failure.retryAt.getTime() <= now.getTime();
      return {
        title: 'GitHub’s rate limit is used up',
        body: (
          <>
            <p>
              This service has spent the requests GitHub allows it for now, and it has no saved copy
              of {login}’s data to show instead.
            </p>
            <p className="failure__when">
              {ready ? (
                'You can try again now.'
              ) : (
                <>
                  Try again{' '}
                  <strong>
                    <time dateTime={failure.retryAt.toISOString()}>
                      {formatRelative(failure.retryAt, now)}
                    </time>
                  </strong>{' '}
                  (at {formatTime(failure.retryAt)}).
                </>
              )}
            </p>
          </>
        ),
        canRetry: true,
      };
    }
    case 'unavailable':
      return {
        title: 'GitHub is not answering right now',
        body: (
          <>
            <p>{unavailableReason(failure.status, failure.detail)}</p>
            <p>This is usually brief: try again in a minute.</p>
          </>
        ),
        canRetry: true,
      };
    case 'invalid':
      return {
        title: 'That request was not accepted',
        body: <p>{failure.detail}</p>,
        canRetry: false,
      };
  }
}

function unavailableReason(status: number | null, detail: string): string {
  if (status === 504) {
    return 'GitHub did not answer in time (504).';
  }
  if (status === 502) {
    return 'GitHub answered with an error, even after the service retried (502).';
  }
  return status === null ? detail : `The service answered with an error (${status}).`;
}
