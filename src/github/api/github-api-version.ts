/**
 * The REST API version every GitHub request asks for (`X-GitHub-Api-Version`). 2026-03-10 is the
 * first calendar version with breaking changes; 2022-11-28, which GitHub still serves to requests
 * without the header, answers with `Deprecation` and `Sunset` headers and stops on 2028-03-10.
 * What the service reads does not depend on what 2026-03-10 removed: the budget comes from
 * `/rate_limit`'s `resources.core` (not the top-level `rate`), and no repository's
 * `has_downloads`, `master_branch` or `use_squash_pr_title_as_default` is read.
 */
export const GITHUB_API_VERSION = '2026-03-10';
