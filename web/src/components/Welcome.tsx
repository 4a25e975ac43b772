interface Props {
  onSearch: (login: string) => void;
}

const EXAMPLES = ['octocat', 'nestjs', 'torvalds'];

export function Welcome({ onSearch }: Props) {
  return (
    <section className="panel welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">See any GitHub account at a glance</h1>
      <p>
        Search for a user or an organisation to see their profile, stars and forks, the languages
        they write in, their most starred repositories, and every public repository in a sortable
        table.
      </p>
      <p className="welcome__examples">
        Try{' '}
        {EXAMPLES.map((login, i) => (
          <span key={login}>
            {i > 0 && (i === EXAMPLES.length - 1 ? ' or ' : ', ')}
            <a
              href={`/?user=${login}`}
              onClick={(event) => {
                event.preventDefault();
                onSearch(login);
              }}
            >
              {login}
            </a>
          </span>
        ))}
        .
      </p>
    </section>
  );
}
