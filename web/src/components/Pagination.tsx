import { formatNumber } from '../format';

interface Props {
  page: number;
  perPage: number;
  total: number;
  lastPage: number;
  onPage: (page: number) => void;
}

export function Pagination({ page, perPage, total, lastPage, onPage }: Props) {
  const first = (page - 1) * perPage + 1;
  const last = Math.min(total, page * perPage);
  const range =
    total === 0
      ? 'No repositories'
      : first > total
        ? `Past the last page: ${formatNumber(total)} in all`
        : `${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)}`;
  return (
    <nav className="pagination" aria-label="Repository pages">
      <p className="pagination__range" data-testid="page-range">
        {range}
      </p>
      <div className="pagination__buttons">
        <button
          type="button"
          className="button"
          onClick={() => onPage(1)}
          disabled={page <= 1}
          aria-label="First page"
        >
          «
        </button>
        <button
          type="button"
          className="button"
          onClick={() => onPage(Math.min(page - 1, lastPage))}
          disabled={page <= 1}
        >
          <span aria-hidden="true">‹</span>
          <span className="pagination__word"> Previous</span>
        </button>
        <span className="pagination__page" data-testid="page-number">
          Page {formatNumber(page)} of {formatNumber(lastPage)}
        </span>
        <button
          type="button"
          className="button"
          onClick={() => onPage(page + 1)}
          disabled={page >= lastPage}
        >
          <span className="pagination__word">Next </span>
          <span aria-hidden="true">›</span>
        </button>
        <button
          type="button"
          className="button"
          onClick={() => onPage(lastPage)}
          disabled={page >= lastPage}
          aria-label="Last page"
        >
          »
        </button>
      </div>
    </nav>
  );
}
