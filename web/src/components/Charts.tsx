import type { LanguageStat, Repo } from '../api/types';
import { LanguageChart } from './LanguageChart';
import { TopReposChart } from './TopReposChart';

interface Props {
  languages: LanguageStat[];
  topRepos: Repo[];
}

export { TimeSeriesChart } from './TimeSeriesChart';

/** The account's two charts; this module is the charts' own chunk (see lazy-charts.ts). */
export default function Charts({ languages, topRepos }: Props) {
  return (
    <div className="charts">
      <LanguageChart languages={languages} />
      <TopReposChart repos={topRepos} />
    </div>
  );
}
