/**
 * The two references of the cache-hit comparison (issue 23), each replaying one cached answer of
 * the app (status, headers, body bytes) in a process of its own: bare node:http (bare-server.mjs,
 * the physical limit) and a bare NestJS + Fastify app with one route (bare-nest-server.mjs, the
 * framework's floor). Both are checked to answer what the app answered before they are measured.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, inheritedEnv, logPath, watchExit } from '../shared/built-app';
import { startServer } from '../shared/child-processes';
import { HttpReply } from '../shared/http-request';
import { get } from './load';

export interface ReplayServers {
  node: App;
  nest: App;
}

/** Headers the server writes itself (date, connection, framing): not replayed, not compared. */
const OWN_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

/** The app's headers minus those node:http writes itself. */
export function replayableHeaders(
  headers: NodeJS.Dict<string | string[]>,
): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !OWN_HEADERS.has(name)) {
      kept[name] = value;
    }
  }
  return kept;
}

/**
 * Starts both replay servers for `sample` (the app's answer to `path`, whose route template is
 * `route`, e.g. `github/repos/:username`), files named after `tag` in `dir` and the run's logs,
 * and checks each answers `path` with the same status, headers and bytes. `started` is told of
 * each server as soon as it runs, so the caller can stop it whatever happens next.
 */
export async function startReplayServers(
  sample: HttpReply,
  target: { path: string; route: string; tag: string; dir: string },
  started: (server: App) => void,
): Promise<ReplayServers> {
  const responseFile = join(target.dir, `cached-response-${target.tag}.json`);
  writeFileSync(
    responseFile,
    JSON.stringify({
      status: sample.status,
      headers: replayableHeaders(sample.headers),
      bodyBase64: sample.body.toString('base64'),
    }),
  );
  const start = async (name: string, script: string, args: string[]): Promise<App> => {
    const server = watchExit(
      await startServer(
        name,
        {
          script: join(__dirname, script),
          args,
          cwd: target.dir,
          env: inheritedEnv(),
          logFiles: ['/dev/null', logPath(`${name}.stderr.log`)],
        },
        { timeoutMs: 20_000, pollMs: 100, what: script },
      ),
    );
    started(server);
    await sameAnswer(server, target.path, sample);
    return server;
  };
  const node = await start(`node-http-${target.tag}`, 'bare-server.mjs', [responseFile]);
  const nest = await start(`bare-nest-${target.tag}`, 'bare-nest-server.mjs', [
    responseFile,
    target.route,
  ]);
  return { node, nest };
}

async function sameAnswer(server: App, path: string, sample: HttpReply): Promise<void> {
  const replay = await get(server.url + path);
  const expected = replayableHeaders(sample.headers);
  const got = replayableHeaders(replay.headers);
  const differing = [...new Set([...Object.keys(expected), ...Object.keys(got)])].filter(
    (name) => JSON.stringify(expected[name]) !== JSON.stringify(got[name]),
  );
  if (replay.status !== sample.status || !replay.body.equals(sample.body) || differing.length) {
    throw new Error(
      `${server.name} does not answer what the app sent for ${path}: status ${replay.status} (app ${sample.status}), ${replay.body.length} bytes (app ${sample.body.length}), headers differing: ${differing.join(', ') || 'none'}`,
    );
  }
}
