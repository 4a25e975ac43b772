import { Server } from 'node:http';
import request from 'supertest';
import { ApiRepo } from './expected-repos';

export interface RepoListBody {
  username: string;
  total: number;
  page: number;
  perPage: number;
  repos: ApiRepo[];
  fetchedAt: string;
}

/**
 * Walks every page of one of our list routes (100 per page) and returns the repositories in the
 * order served. Fails if a page is not a 200 or if the total changes between pages.
 */
export async function collectAllPages(
  server: Server,
  path: string,
  query: Record<string, string> = {},
): Promise<{ total: number; repos: ApiRepo[] }> {
  const repos: ApiRepo[] = [];
  let total: number | undefined;
  for (let page = 1; total === undefined || (page - 1) * 100 < total; page++) {
    const response = await request(server)
      .get(path)
      .query({ ...query, page, perPage: 100 });
    expect(response.status).toBe(200);
    const body = response.body as RepoListBody;
    expect(body.total).toBe(total ?? body.total);
    total = body.total;
    repos.push(...body.repos);
  }
  return { total: total ?? 0, repos };
}
