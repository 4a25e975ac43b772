import type { Summary } from '../api/types';

interface Props {
  summary: Summary;
}

/**
 * Said only when the service read part of a very large account (its `GITHUB_MAX_REPOS_PER_ACCOUNT`
 * ceiling): totals, charts and the table then describe that part, and the reader must know it.
 * The wording is the API's own `coverage`, e.g. "first 10,000 of 104,326 repositories, most
 * recently pushed first".
 */
export function CoverageNote({ summary }: Props) {
  if (summary.complete) {
    return null;
  }
  return (
    <div className="panel notice notice--partial" role="note" data-testid="coverage-note">
      <p>
        <strong>Partial account.</strong> This account is larger than the service reads in one go:
        totals, charts and the table cover the {summary.coverage}.
      </p>
    </div>
  );
}
