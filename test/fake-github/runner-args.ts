import { parseArgs } from 'node:util';
import { FakeGithubOptions } from './fake-github';

export interface RunnerConfig {
  options: FakeGithubOptions;
  users: { login: string; repos: number }[];
  orgs: { login: string; repos: number }[];
}

export const RUNNER_USAGE =
  'usage: tsx test/fake-github/main.ts [--host 127.0.0.1] [--port 0] [--users octocat:1234,ghost:0] [--orgs nestjs:300] [--latency-ms 0] [--rate-limit N] [--public-url URL]';

/** Parses the runner's command line; throws with the usage line on anything unexpected. */
export function parseRunnerArgs(argv: string[]): RunnerConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      users: { type: 'string', default: '' },
      orgs: { type: 'string', default: '' },
      'latency-ms': { type: 'string', default: '0' },
      'rate-limit': { type: 'string' },
      'public-url': { type: 'string' },
    },
  });
  const rateLimit =
    values['rate-limit'] === undefined
      ? undefined
      : { limit: integer('--rate-limit', values['rate-limit']) };
  return {
    options: {
      host: values.host,
      port: integer('--port', values.port),
      latencyMs: integer('--latency-ms', values['latency-ms']),
      publicUrl: values['public-url'],
      rateLimit,
    },
    users: accounts('--users', values.users),
    orgs: accounts('--orgs', values.orgs),
  };
}

/** `octocat:1234,ghost:0` → logins with repository counts. */
function accounts(flag: string, list: string): { login: string; repos: number }[] {
  return list
    .split(',')
    .filter((item) => item.trim() !== '')
    .map((item) => {
      const [login, repos = '0'] = item.trim().split(':');
      if (!/^[A-Za-z0-9-]+$/.test(login)) {
        throw new Error(`${flag}: "${item}" is not login:count\n${RUNNER_USAGE}`);
      }
      return { login, repos: integer(flag, repos) };
    });
}

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new Error(`${flag} must be a non-negative integer, got "${value}"\n${RUNNER_USAGE}`);
  }
  return Number(value);
}
