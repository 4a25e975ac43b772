import type { Summary } from '../api/types';
import { formatNumber } from '../format';

interface Props {
  totals: Summary['totals'];
}

export function Totals({ totals }: Props) {
  return (
    <section className="totals" aria-label="Totals">
      <Stat
        id="repos"
        label="Repositories"
        value={totals.repos}
        note={`${formatNumber(totals.sources)} own · ${formatNumber(totals.forked)} forks · ${formatNumber(totals.archived)} archived`}
      />
      <Stat id="stars" label="Stars" value={totals.stars} note="over all repositories" />
      <Stat id="forks" label="Forks" value={totals.forks} note="of all repositories" />
    </section>
  );
}

function Stat({
  id,
  label,
  value,
  note,
}: {
  id: string;
  label: string;
  value: number;
  note: string;
}) {
  return (
    <div className="panel stat">
      <h2 className="stat__label" id={`total-${id}-label`}>
        {label}
      </h2>
      <p className="stat__value" data-testid={`total-${id}`} aria-describedby={`total-${id}-label`}>
        {formatNumber(value)}
      </p>
      <p className="stat__note">{note}</p>
    </div>
  );
}
