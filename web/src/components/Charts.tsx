import type { LanguageStat, Repo } from '../api/types';
import { LanguageChart } from './LanguageChart';
import { TopReposChart } from './TopReposChart';

interface Props {
  languages: LanguageStat[];
  topRepos: Repo[];
}

/** Both charts, in their own chunk (see Dashboard). */
export default function Charts({ languages, topRepos }: Props) {
  return (
    <div className="charts">
      <LanguageChart languages={languages} />
      <TopReposChart repos={topRepos} />
    </div>
  );
}
