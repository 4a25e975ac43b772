import type { Profile } from '../api/types';
import { formatAge, formatDate, formatNumber } from '../format';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

interface Props {
  profile: Profile;
  now: Date;
}

export function ProfileCard({ profile, now }: Props) {
  const blog = profile.blog ? withScheme(profile.blog) : null;
  return (
    <section className="panel profile" aria-labelledby="profile-name">
      <Avatar url={profile.avatarUrl} name={profile.name} login={profile.login} />
      <div className="profile__body">
        <h1 id="profile-name" className="profile__name">
          {profile.name ?? profile.login}
          {profile.type === 'Organization' && <span className="badge">Organisation</span>}
        </h1>
        <p className="profile__login">
          <a href={profile.url} rel="noopener noreferrer">
            @{profile.login}
          </a>{' '}
          on GitHub
        </p>
        {profile.bio && <p className="profile__bio">{profile.bio}</p>}
        <dl className="profile__facts">
          {profile.type === 'User' && (
            <div>
              <dt>Followers</dt>
              <dd data-testid="followers">{formatNumber(profile.followers)}</dd>
            </div>
          )}
          <div>
            <dt>Public repositories</dt>
            <dd data-testid="public-repos">{formatNumber(profile.publicRepos)}</dd>
          </div>
          <div>
            <dt>Account age</dt>
            <dd data-testid="account-age">
              <time dateTime={profile.createdAt} title={`Joined ${formatDate(profile.createdAt)}`}>
                {formatAge(profile.createdAt, now)}
              </time>
            </dd>
          </div>
        </dl>
        {(profile.location || profile.company || blog) && (
          <ul className="profile__extra">
            {profile.location && (
              <li>
                <Icon name="pin" size={16} />
                <span className="visually-hidden">Location: </span>
                {profile.location}
              </li>
            )}
            {profile.company && (
              <li>
                <Icon name="building" size={16} />
                <span className="visually-hidden">Company: </span>
                {profile.company}
              </li>
            )}
            {blog && (
              <li>
                <Icon name="link" size={16} />
                <a href={blog} rel="noopener noreferrer nofollow">
                  {profile.blog}
                </a>
              </li>
            )}
          </ul>
        )}
      </div>
    </section>
  );
}

/** GitHub stores the blog field as typed: "example.com" needs a scheme to be a link. */
function withScheme(blog: string): string | null {
  const url = /^https?:\/\//i.test(blog) ? blog : `https://${blog}`;
  try {
    return new URL(url).protocol.startsWith('http') ? url : null;
  } catch {
    return null;
  }
}
