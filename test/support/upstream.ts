import { Server } from 'node:http';
import request from 'supertest';
import { FakeGithub, RecordedRequest } from '../fake-github';
import { waitFor } from './wait-for';

/**
 * Every request the fake received for one account's repository list: page 1 by login, later
 * pages by the numeric id GitHub's `Link` header names.
 */
export function repoListRequests(gh: FakeGithub, login: string): RecordedRequest[] {
  const byLogin = `/users/${login.toLowerCase()}/repos`;
  const byId = `/user/${gh.profileOf(login).id}/repos`;
  return gh.requests.filter(
    (r) => r.path.toLowerCase().startsWith(byLogin) || r.path.startsWith(byId),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { waitFor };

export interface CacheReadiness {
  status: number;
  overall: string;
  cache: { status: string; backend?: string; redis?: string };
}

export async function readiness(server: Server): Promise<CacheReadiness> {
  const response = await request(server).get('/health/ready');
  const body = response.body as { status: string; details: { cache: CacheReadiness['cache'] } };
  return { status: response.status, overall: body.status, cache: body.details?.cache };
}

/** Waits until readiness reports Redis `up` (in use) or `down` (memory only). */
export async function waitForRedis(
  server: Server,
  state: 'up' | 'down',
  timeoutMs = 5000,
): Promise<void> {
  await waitFor(
    `readiness to report Redis ${state}`,
    async () => (await readiness(server)).cache?.redis === state,
    timeoutMs,
  );
}
