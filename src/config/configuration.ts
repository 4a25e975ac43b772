import { appConfig, AppEnvironment } from './app.config';
import { cacheConfig, CacheEnvironment } from './cache.config';
import { githubAppConfig, GithubAppEnvironment } from './github-app.config';
import { githubConfig, GithubEnvironment } from './github.config';
import { historyConfig, HistoryEnvironment } from './history.config';
import { httpConfig, HttpEnvironment } from './http.config';
import { tracingConfig, TracingEnvironment } from './tracing.config';
import { variablesOf } from './validate-env';
import { webhooksConfig, WebhooksEnvironment } from './webhooks.config';

/** Every config namespace, in one list so that AppModule and the start-up check load the same. */
export const configNamespaces = [
  appConfig,
  githubConfig,
  githubAppConfig,
  cacheConfig,
  httpConfig,
  tracingConfig,
  historyConfig,
  webhooksConfig,
];

/**
 * Every environment variable the service reads, taken from the namespaces' own schemas: tests
 * clear exactly these so that a developer's shell (a GITHUB_TOKEN, a THROTTLE_LIMIT) never leaks in.
 */
export const CONFIG_VARIABLES: readonly string[] = [
  ...new Set(
    [
      AppEnvironment,
      GithubEnvironment,
      GithubAppEnvironment,
      CacheEnvironment,
      HttpEnvironment,
      TracingEnvironment,
      HistoryEnvironment,
      WebhooksEnvironment,
    ].flatMap(variablesOf),
  ),
].sort();

/**
 * Runs every namespace's validation before Nest starts, so a bad variable stops the process with
 * its one-line message rather than a framework stack trace.
 */
export function assertValidEnvironment(): void {
  for (const load of configNamespaces) {
    load();
  }
}
