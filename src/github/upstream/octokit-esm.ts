import type { createAppAuth } from '@octokit/auth-app';
import type { request } from '@octokit/request';

export interface OctokitAppModules {
  createAppAuth: typeof createAppAuth;
  request: typeof request;
}

let loading: Promise<OctokitAppModules> | undefined;

/**
 * @octokit/auth-app and @octokit/request (which it is built on, and which we hand our base URL,
 * User-Agent and API version) ship only as ES modules, and the service compiles to CommonJS. The
 * compiled `import()` is a `require()`, which Node 24 runs for ES modules; under Jest (started
 * with --experimental-vm-modules) ts-jest keeps a real `import()` that Jest's module loader
 * resolves. Loaded once, on first use: a service without an App never loads them.
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
