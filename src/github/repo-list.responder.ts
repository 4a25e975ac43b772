import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpCacheResponder, type ReplyLike } from '../common/http-cache/http-cache.responder';
import { ListReposQuery } from './dto/list-repos.query';
import { RepoListing } from './github.service';
import { ourPageLinks } from './our-page-links';

/** The answer of both list routes (user and organisation): same body, same `Link` header. */
@Injectable()
export class RepoListResponder {
  constructor(private readonly responder: HttpCacheResponder) {}

  respond(
    headers: IncomingHttpHeaders,
    reply: ReplyLike,
    path: string,
    login: string,
    query: ListReposQuery,
    result: RepoListing,
  ): Buffer | undefined {
    const link = ourPageLinks(path, query, result.listing);
    if (link) {
      reply.header('link', link);
    }
    reply.header('x-repos-complete', String(result.listing.complete));
    return this.responder.respond(headers, reply, result.listing, result, (listing) => ({
      username: login,
      total: listing.total,
      page: listing.page,
      perPage: listing.perPage,
      repos: listing.repos,
      complete: listing.complete,
      publicRepos: listing.publicRepos,
      coverage: listing.coverage,
    }));
  }
}
