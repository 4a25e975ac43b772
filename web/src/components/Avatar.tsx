import { useState } from 'react';
import { initialsOf } from '../format';

interface Props {
  url: string;
  name: string | null;
  login: string;
}

/**
 * The avatar over a circle of initials: until the image arrives, and for good when it cannot
 * (GitHub's image host unreachable, blocked by a proxy), the initials show. Nothing waits on it.
 */
export function Avatar({ url, name, login }: Props) {
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>('loading');
  return (
    <div className={`avatar avatar--${state}`} data-testid="avatar" data-state={state}>
      <span className="avatar__initials" aria-hidden="true">
        {initialsOf(name, login)}
      </span>
      {state !== 'failed' && (
        <img
          className="avatar__image"
          src={sizedAvatar(url)}
          alt={`${name ?? login}’s avatar`}
          width={96}
          height={96}
          referrerPolicy="no-referrer"
          decoding="async"
          onLoad={() => setState('loaded')}
          onError={() => setState('failed')}
        />
      )}
    </div>
  );
}

/** GitHub's avatar host scales on request: 192 px covers 96 CSS px on a dense screen. */
function sizedAvatar(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.searchParams.set('s', '192');
    return parsed.toString();
  } catch {
    return url;
  }
}
