import { appConfig } from './app.config';
import { cacheConfig } from './cache.config';
import { githubConfig } from './github.config';
import { httpConfig } from './http.config';

/** Every config namespace, in one list so that AppModule and the start-up check load the same. */
export const configNamespaces = [appConfig, githubConfig, cacheConfig, httpConfig];

/**
 * Runs every namespace's validation before Nest starts, so a bad variable stops the process with
 * its one-line message rather than a framework stack trace.
 */
export function assertValidEnvironment(): void {
  for (const load of configNamespaces) {
    load();
  }
}
