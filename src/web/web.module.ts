import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import { DynamicModule, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Where `vite build` writes the dashboard page (web/vite.config.mts). The same relative place from
 * src/web (tests) and dist/web (`node dist/main.js`, the image).
 */
export const WEB_ROOT = join(__dirname, '..', '..', 'web', 'dist');

const WEB_PAGE_ROOT = Symbol('WEB_PAGE_ROOT');

/**
 * Serves the dashboard page: `index.html` at `/` (deep links are query strings such as
 * `/?user=octocat`), and the files Vite built under their own paths. No catch-all route, so an
 * unknown path still reaches Nest and gets its 404 problem; `/github/*`, `/health*`, `/docs*`
 * and `/metrics` are untouched.
 *
 * Each file is sent as the `.br` or `.gz` the build wrote beside it (web/precompress.mts) when
 * `Accept-Encoding` allows, with `Vary: Accept-Encoding`: nothing is compressed at run time.
 * @fastify/static is registered here rather than through `@nestjs/serve-static`, whose render
 * route (the only way it answers `/` without a catch-all) streams index.html itself and so always
 * sent it uncompressed; here `/` is @fastify/static's own index route, precompressed like the rest.
 */
export function webPageOptions(root: string): FastifyStaticOptions | undefined {
  if (!existsSync(join(root, 'index.html'))) {
    // The API does not need the page: a backend built with `nest build` alone still serves JSON.
    new Logger('WebModule').warn({ root }, 'Dashboard page not built (npm run build); / is a 404');
    return undefined;
  }
  return {
    root,
    // One route per built file and `/` for index.html, found when the app starts.
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    // Chosen by Accept-Encoding, not asked for by name.
    globIgnore: ['**/*.br', '**/*.gz'],
    cacheControl: false,
    setHeaders: (reply: FastifyReply, path: string) => {
      // Built assets have content hashes in their names; index.html must be asked for again
      // so that a new release is picked up at once.
      void reply.header(
        'cache-control',
        relative(root, path).startsWith(`assets${sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  };
}

@Module({})
export class WebModule implements OnModuleInit {
  /** The page under `root`: the build (`WEB_ROOT`) in the app, a fixture in tests. */
  static serving(root: string): DynamicModule {
    return { module: WebModule, providers: [{ provide: WEB_PAGE_ROOT, useValue: root }] };
  }

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(WEB_PAGE_ROOT) private readonly root: string,
  ) {}

  onModuleInit(): void {
    const options = webPageOptions(this.root);
    if (options) {
      // Not awaited, like any Fastify plugin registered before `ready()`: Fastify loads it then.
      void this.adapterHost.httpAdapter
        .getInstance<FastifyInstance>()
        .register(fastifyStatic, options);
    }
  }
}
