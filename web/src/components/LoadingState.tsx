interface Props {
  login: string;
}

/** Placeholders in the dashboard's own layout, so nothing jumps when the data arrives. */
export function LoadingState({ login }: Props) {
  return (
    <div className="loading" aria-busy="true">
      <p className="loading__text" role="status">
        <span className="spinner" aria-hidden="true" /> Loading {login}&apos;s dashboard…
      </p>
      <div className="panel skeleton skeleton--profile" aria-hidden="true" />
      <div className="totals" aria-hidden="true">
        <div className="panel skeleton skeleton--stat" />
        <div className="panel skeleton skeleton--stat" />
        <div className="panel skeleton skeleton--stat" />
      </div>
      <div className="charts" aria-hidden="true">
        <div className="panel skeleton skeleton--chart" />
        <div className="panel skeleton skeleton--chart" />
      </div>
    </div>
  );
}
