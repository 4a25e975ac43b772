import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { HealthController } from '../../src/health/health.controller';
import { Harness, startHarness } from '../support/harness';

/** Read here rather than from src/, so a wrong version source in the app is caught. */
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

describe(HealthController.name, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  describe('GET /health', () => {
    it('should report ok with the version and environment, without asking GitHub', async () => {
      const response = await request(h.server).get('/health');

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const app = {
        status: 'up',
        version: PACKAGE_VERSION,
        environment: 'test',
        uptimeSeconds: expect.any(Number),
      };
      expect(response.body).toEqual({ status: 'ok', info: { app }, error: {}, details: { app } });
      expect(h.gh.countRequests()).toBe(0);
    });
  });

  describe('GET /health/ready', () => {
    it('should stay ready while GitHub is failing, without asking GitHub', async () => {
      h.gh.failNext({ mode: 'server-error', times: Infinity });

      const response = await request(h.server).get('/health/ready');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        info: { app: { status: 'up' }, cache: { status: 'up', backend: 'memory' } },
        error: {},
      });
      expect(h.gh.countRequests()).toBe(0);
    });
  });
});
