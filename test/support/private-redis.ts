/**
 * A throw-away `redis-server` on a free port, so a test can kill and restart "the" Redis without
 * touching the shared one on 6379: the harness's own launcher. `stop()` must run in `afterAll`.
 */
export { PrivateRedis } from '../../scripts/shared/redis-server';
