/**
 * Runs the fake GitHub on its own, for the container smoke test and the benchmark:
 *
 *   npx tsx test/fake-github/main.ts --port 9999 --host 127.0.0.1 --users octocat:1234,ghost:0 --latency-ms 50
 *
 * Prints its URL as the only line on stdout (a script can wait for it), then serves until
 * SIGTERM or SIGINT. Errors go to stderr with exit code 1 (2 for bad arguments).
 */
import { FakeGithub } from './fake-github';
import { parseRunnerArgs, RunnerConfig } from './runner-args';

async function main(): Promise<void> {
  let config: RunnerConfig;
  try {
    config = parseRunnerArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  // Nobody reads the recording here, and under a benchmark it would grow without bound.
  const fake = await FakeGithub.start({ ...config.options, recordRequests: false });
  config.users.forEach(({ login, repos }) => fake.addUser(login, repos));
  config.orgs.forEach(({ login, repos }) => fake.addOrg(login, repos));
  const stop = (): void => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${fake.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fake GitHub failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
