import type { createAppAuth } from '@octokit/auth-app';
import type { request } from '@octokit/request';

export interface OctokitAppModules {
  createAppAuth: typeof createAppAuth;
  request: typeof request;
}

let loading: Promise<OctokitAppModules> | undefined;

/**
 * @octokit/auth-app and @octokit/request (which it is built on, and which we hand our base URL,
 * User-Agent and API version) ship only as ES modules, and the service compiles to CommonJS, so
 * this `import()` becomes a `require()` in the build and under ts-jest alike. Node 24 requires ES
 * modules natively; Jest 30 does so only when Node runs it with --experimental-vm-modules, as the
 * npm scripts and Stryker do (without the flag: "Must use import to load ES Module"). Loaded once,
 * on first use: a service without an App never loads them.
 */
export function loadOctokitAppModules(): Promise<OctokitAppModules> {
  loading ??= Promise.all([import('@octokit/auth-app'), import('@octokit/request')]).then(
    ([authApp, octokitRequest]) => ({
      createAppAuth: authApp.createAppAuth,
      request: octokitRequest.request,
    }),
  );
  return loading;
}
