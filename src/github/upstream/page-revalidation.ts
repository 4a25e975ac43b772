import { LinkRelations } from '../api/link-header';
import { ConditionalRequest, GithubResponse } from './github-client.service';

/** What a GitHub page we hold keeps so it can be revalidated instead of read again. */
export interface HeldPage {
  etag?: string;
  lastModified?: string;
  /** The credential the validators belong to. */
  tokenFingerprint: string;
  links: LinkRelations;
}

/** The page to keep once GitHub has answered a (conditional) request for it. */
export interface RevalidatedPage<T> {
  data: T;
  links: LinkRelations;
  etag?: string;
  lastModified?: string;
  tokenFingerprint: string;
  /** GitHub answered 304 for a page we held: `data` is the held page's, not read again. */
  notModified: boolean;
}

/** How a page's data is read from GitHub's body, or kept from the page we held. */
export interface PageData<P extends HeldPage, T> {
  fresh: (body: unknown) => T;
  kept: (held: P) => T;
}

/**
 * The validators to send for a page: those of the page we hold, on the token that got them (the
 * client sends them only with that token), so an unchanged page costs a 304, free when
 * authorized, instead of a full response. Nothing when we hold no page.
 */
export function conditionalRequestFor(held: HeldPage | undefined): ConditionalRequest {
  return {
    etag: held?.etag,
    lastModified: held?.lastModified,
    tokenFingerprint: held?.tokenFingerprint,
  };
}

/**
 * The page to keep after GitHub's answer to {@link conditionalRequestFor}'s request: on a 304 for
 * a page we held, the held data; otherwise the body, read afresh. The validators are always the
 * answer's (the client fills in the ones it sent when a 304 repeats none).
 */
export function revalidatedPage<P extends HeldPage, T>(
  response: GithubResponse,
  held: P | undefined,
  data: PageData<P, T>,
): RevalidatedPage<T> {
  const notModified = response.status === 304 && held !== undefined;
  return {
    data: notModified ? data.kept(held) : data.fresh(response.body),
    // GitHub may change `Link` (a new last page) while the ETag stays: prefer the fresh header.
    links: Object.keys(response.links).length > 0 || !notModified ? response.links : held.links,
    etag: response.etag,
    lastModified: response.lastModified,
    tokenFingerprint: response.tokenFingerprint,
    notModified,
  };
}
