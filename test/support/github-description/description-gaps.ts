import type { OpenApiOperation } from './github-description';

/**
 * Where GitHub's answers go beyond its description, each with the reason it is allowed. The
 * contract check fails on everything else the description does not document. Keep these short:
 * each entry is a hole in the description, not in the fake.
 */

/**
 * Paths GitHub serves and points at but its description leaves out. Its own `Link` headers for
 * user and organisation repository lists name the account by id ("Using pagination in the REST
 * API"), and those of a stargazer list the repository by id; the answer is the documented route's
 * listing, so it is checked against that route.
 */
export const UNDOCUMENTED_ALIASES: Record<string, string> = {
  '/user/{account_id}/repos': '/users/{username}/repos',
  '/organizations/{org_id}/repos': '/orgs/{org}/repos',
  '/repositories/{repository_id}/stargazers': '/repos/{owner}/{repo}/stargazers',
  '/repositories/{repository_id}/stargazers/history': '/repos/{owner}/{repo}/stargazers/history',
};

/**
 * Operations GitHub serves that the packaged description (@octokit/openapi 23.0.2, September
 * 2026) does not have yet, each with the source of its shape; checked like described ones.
 */
export const UNDESCRIBED_OPERATIONS: Record<string, { source: string; get: OpenApiOperation }> = {
  '/repos/{owner}/{repo}/stargazers/history': {
    source:
      'GitHub changelog 2026-09-04 "New API endpoint provides privacy-safe star history data" and ../shared/GITHUB-API.md: weeks newest first, Sunday first, per_page <= 30, page <= 100 (422 past it)',
    get: {
      operationId: 'activity/list-stargazer-history (not in @octokit/openapi 23.0.2)',
      responses: {
        '200': {
          description: 'Weeks, newest first',
          content: {
            'application/json': {
              schema: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['week', 'total', 'days'],
                  additionalProperties: false,
                  properties: {
                    week: { type: 'integer', description: "Unix seconds of the week's start" },
                    total: { type: 'integer', minimum: 0 },
                    days: {
                      type: 'array',
                      minItems: 7,
                      maxItems: 7,
                      items: { type: 'integer', minimum: 0 },
                    },
                  },
                },
              },
            },
          },
          headers: { Link: { $ref: '#/components/headers/link' } },
        },
        '422': { $ref: '#/components/responses/validation_failed' },
      },
    },
  },
};

/**
 * Statuses GitHub answers on every operation while documenting them only on some (its prose
 * docs describe them once for all). An operation that documents the status is checked against
 * its own response; the others against the description's shared response named here, so the
 * body is still checked (`basic-error` for the errors).
 */
export const UNDOCUMENTED_STATUSES: Record<string, { response: string; why: string }> = {
  '400': {
    response: 'bad_request',
    why: '"API versions": an X-GitHub-Api-Version GitHub does not serve, on any endpoint',
  },
  '304': {
    response: 'not_modified',
    why: '"Conditional requests": any GET with an ETag answers a matching If-None-Match with 304',
  },
  '401': { response: 'requires_authentication', why: 'a bad or revoked token, on any endpoint' },
  '403': {
    response: 'forbidden',
    why: '"Rate limits for the REST API": primary and secondary limits, on any endpoint; and since July 2026 a stargazer list refused to anyone but collaborators',
  },
  '404': { response: 'not_found', why: 'an unknown account or repository named in the path' },
  '500': { response: 'internal_error', why: "GitHub's own failures, on any endpoint" },
};

/**
 * Answers GitHub gives before it selects an API version, so without `x-github-api-version-selected`
 * (every other API answer names the version it was served in). They are checked against the
 * description as written, the 2022-11-28 one.
 */
export const UNVERSIONED_ANSWERS: { status: number; why: string }[] = [
  {
    status: 400,
    why: '"API versions": a version GitHub does not serve is refused before any is selected',
  },
];

/**
 * Pages GitHub's front end sends before a request reaches the API: not API answers, so no body
 * schema and no rate-limit headers; only the status and media type are checked.
 */
export const EDGE_PAGES: { status: number; mediaType: string; why: string }[] = [
  { status: 502, mediaType: 'text/html', why: 'the "Unicorn!" page when no API server answers' },
  {
    status: 403,
    mediaType: 'text/plain',
    why: '"User-Agent required": refused before the API sees the request',
  },
];

/**
 * Properties GitHub sends as null where the description says they never are. `pushed_at` of a
 * repository never pushed to is null in `minimal-repository` (the lists) but not in
 * `full-repository` (`GET /repos/{owner}/{repo}`), the same repository; integrators met the null
 * there too (octokit/octokit.net#40, mirage/ocaml-github#27). The fake serves one repository one
 * way, and the service must survive the null on either route.
 */
export const NULLABLE_DESPITE_DESCRIPTION: { schema: string; property: string }[] = [
  { schema: 'full-repository', property: 'pushed_at' },
];
