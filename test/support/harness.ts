import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server } from 'node:http';
import { FakeGithub, FakeGithubOptions } from '../fake-github';
import { bootApp, BootOptions } from './boot-app';

export interface Harness {
  gh: FakeGithub;
  app: NestFastifyApplication;
  /** For supertest: `request(h.server)`. */
  server: Server;
  /** Closes the app, then the fake (whose close also ends hanging sockets). */
  close(): Promise<void>;
}

/**
 * Each file boots a whole app; on a busy CI machine that alone can pass Jest's 5 s default. A real
 * hang still fails, just later.
 */
jest.setTimeout(30_000);

/**
 * A budget large enough that no test runs out by accident. GitHub's real 60 an hour without a
 * token would make a file's outcome depend on how many requests earlier tests made; the files
 * about the rate limit set their own budgets.
 */
export const AMPLE_BUDGET = { limit: 100_000 };

/** Starts a fake GitHub and the real app pointed at it: the usual `beforeAll` of an e2e file. */
export async function startHarness(
  options: Omit<BootOptions, 'githubUrl'> & { fake?: FakeGithubOptions } = {},
): Promise<Harness> {
  const gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET, ...options.fake });
  let app: NestFastifyApplication;
  try {
    app = await bootApp({ ...options, githubUrl: gh.url });
  } catch (error) {
    await gh.close();
    throw error;
  }
  return {
    gh,
    app,
    server: app.getHttpServer(),
    close: async () => {
      await app.close();
      await gh.close();
    },
  };
}
