import type { RepoDetails } from '../api/types';
import { formatBytes, formatDate, formatNumber, formatShare } from '../format';
import { SERIES_COLORS } from './chart-colors';

interface Props {
  repo: RepoDetails;
}

/** One repository: counts, licence, topics, dates and its languages by bytes of code. */
export function RepoDetailsPanel({ repo }: Props) {
  return (
    <>
      <section className="panel repo-details" aria-labelledby="repo-title">
        <h1 id="repo-title" className="repo-details__name">
          {repo.fullName}
          {repo.fork && <span className="badge">Fork</span>}
          {repo.archived && <span className="badge badge--muted">Archived</span>}
        </h1>
        {repo.description && <p className="repo-details__description">{repo.description}</p>}
        <p className="repo-details__links">
          <a href={repo.url} rel="noopener noreferrer">
            View on GitHub
          </a>
          {repo.homepage && (
            <>
              {' · '}
              <a href={repo.homepage} rel="noopener noreferrer nofollow">
                {repo.homepage}
              </a>
            </>
          )}
        </p>
        <dl className="profile__facts repo-details__facts">
          <Fact id="stars" label="Stars" value={formatNumber(repo.stars)} />
          <Fact id="forks" label="Forks" value={formatNumber(repo.forks)} />
          <Fact id="open-issues" label="Open issues" value={formatNumber(repo.openIssues)} />
          <Fact
            id="license"
            label="Licence"
            value={repo.license ? (repo.license.spdxId ?? repo.license.name) : 'None detected'}
            title={repo.license?.name}
          />
          <Fact id="default-branch" label="Default branch" value={repo.defaultBranch} />
          <Fact id="created" label="Created" value={formatDate(repo.createdAt)} />
          <Fact id="updated" label="Updated" value={formatDate(repo.updatedAt)} />
          <Fact
            id="pushed"
            label="Last pushed"
            value={repo.pushedAt ? formatDate(repo.pushedAt) : 'Never'}
          />
        </dl>
        {repo.topics.length > 0 && (
          <ul className="topics" aria-label="Topics" data-testid="repo-topics">
            {repo.topics.map((topic) => (
              <li key={topic} className="topic">
                {topic}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel chart" aria-labelledby="repo-languages-title">
        <h2 id="repo-languages-title">Languages</h2>
        <p className="chart__subtitle">Share of the code, by bytes</p>
        {repo.languages.length === 0 ? (
          <p className="empty">GitHub detected no language in this repository.</p>
        ) : (
          <>
            <div className="byte-bar" aria-hidden="true">
              {repo.languages.map((language, i) => (
                <span
                  key={language.language}
                  style={{
                    width: `${language.share * 100}%`,
                    background: SERIES_COLORS[i % SERIES_COLORS.length],
                  }}
                />
              ))}
            </div>
            <ol className="legend" data-testid="repo-languages">
              {repo.languages.map((language, i) => (
                <li key={language.language} className="legend__item">
                  <span
                    className="legend__swatch"
                    style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }}
                    aria-hidden="true"
                  />
                  <span className="legend__label">{language.language}</span>
                  <span className="legend__share">{formatShare(language.share)}</span>
                  <span className="legend__count">{formatBytes(language.bytes)}</span>
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
    </>
  );
}

function Fact({
  id,
  label,
  value,
  title,
}: {
  id: string;
  label: string;
  value: string;
  title?: string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={`repo-${id}`} title={title}>
        {value}
      </dd>
    </div>
  );
}
