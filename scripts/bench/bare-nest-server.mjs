/**
 * The framework's floor for the throughput comparison (issue 23): a bare NestJS + Fastify app
 * (one module, one controller, `@nestjs/platform-fastify`, logger off, nothing else: no hooks,
 * guards, pipes, interceptors or filters) whose one GET route answers every request with the
 * status, headers and body bytes the service sent for one cached request, as bare-server.mjs does
 * without the framework. Run by the benchmark as its own process (plain node, no loader).
 *
 *   node bare-nest-server.mjs <response.json> <route>   (the file: { status, headers, bodyBase64 };
 *                                                        the route: the service's, e.g. github/repos/:username)
 *
 * The route is the service's own template (a path parameter, so Fastify's router does the same
 * work). The handler returns the Buffer through Nest's response pipeline (`@Res({ passthrough })`
 * only to set the headers), as a controller returning a value does. `GET /health` answers 200 for
 * the benchmark's readiness poll and is never measured. Plain JavaScript: decorators are applied
 * as the functions they are, which is what TypeScript compiles them to.
 *
 * Listens on 127.0.0.1:$PORT with the service's keep-alive timeout (72 s), so the replies carry
 * the same Connection and Keep-Alive headers.
 */
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';

const [file, route] = process.argv.slice(2);
const port = Number(process.env.PORT);
if (!file || !route || !Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: PORT=<port> node bare-nest-server.mjs <response.json> <route>\n');
  process.exit(2);
}
const recorded = JSON.parse(readFileSync(file, 'utf8'));
const body = Buffer.from(recorded.bodyBase64, 'base64');
const headers = recorded.headers;

class ReplayController {
  replay(reply) {
    reply.headers(headers);
    return body;
  }

  health() {
    return 'ok';
  }
}

/** `@decorator` on a method, as TypeScript emits it. */
function decorateMethod(target, name, decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
  Reflect.decorate(decorators, target.prototype, name, descriptor);
}

decorateMethod(ReplayController, 'replay', [
  Get(route),
  HttpCode(recorded.status),
  // A parameter decorator, applied the way TypeScript's __param helper does.
  (prototype, name) => Res({ passthrough: true })(prototype, name, 0),
]);
decorateMethod(ReplayController, 'health', [Get('health')]);
Reflect.decorate([Controller()], ReplayController);

class ReplayModule {}
Reflect.decorate([Module({ controllers: [ReplayController] })], ReplayModule);

const app = await NestFactory.create(
  ReplayModule,
  new FastifyAdapter({ keepAliveTimeout: 72_000 }),
  { logger: false },
);
await app.listen(port, '127.0.0.1');
process.stdout.write('listening\n');

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
