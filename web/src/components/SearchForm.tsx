import { type FormEvent, useId, useState } from 'react';
import { isValidLogin } from '../location';

interface Props {
  initial: string;
  onSearch: (login: string) => void;
}

/** The account to show. Checked here with GitHub's login rule, so a typo costs no request. */
export function SearchForm({ initial, onSearch }: Props) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const login = value.trim().replace(/^@/, '');
    if (!isValidLogin(login)) {
      setError(
        login === ''
          ? 'Enter a GitHub user or organisation.'
          : 'A GitHub login has 1–39 letters, digits or single hyphens, and does not start or end with a hyphen.',
      );
      return;
    }
    setError(null);
    onSearch(login);
  };

  return (
    <form className="search" role="search" onSubmit={submit} noValidate>
      <label className="search__label" htmlFor={inputId}>
        GitHub user or organisation
      </label>
      <div className="search__row">
        <input
          id={inputId}
          className="search__input"
          type="search"
          name="user"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          placeholder="e.g. octocat"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={40}
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
        />
        <button className="button button--primary" type="submit">
          Show
        </button>
      </div>
      {error && (
        <p id={errorId} className="search__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
