import { Logger, Module } from '@nestjs/common';
import { ServeStaticModule, ServeStaticModuleOptions } from '@nestjs/serve-static';
import type { FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Where `vite build` writes the dashboard page (web/vite.config.mts). The same relative place from
 * src/web (tests) and dist/web (`node dist/main.js`, the image).
 */
export const WEB_ROOT = join(__dirname, '..', '..', 'web', 'dist');

/**
 * Serves the dashboard page: `index.html` at `/` only (deep links are query strings such as
 * `/?user=octocat`), and the files Vite built under their own paths. No catch-all route, so an
 * unknown path still reaches Nest and gets its 404 problem; `/github/*`, `/health*`, `/docs*`
 * and `/metrics` are untouched.
 */
export function webPageOptions(root: string): ServeStaticModuleOptions[] {
  if (!existsSync(join(root, 'index.html'))) {
    // The API does not need the page: a backend built with `nest build` alone still serves JSON.
    new Logger('WebModule').warn({ root }, 'Dashboard page not built (npm run build); / is a 404');
    return [];
  }
  return [
    {
      rootPath: root,
      renderPath: '/',
      serveStaticOptions: {
        // index: false keeps @fastify/static from declaring `/` itself; the module's render route
        // (which needs fallthrough) answers it with index.html.
        index: false,
        fallthrough: true,
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
      },
    },
  ];
}

@Module({
  imports: [ServeStaticModule.forRootAsync({ useFactory: () => webPageOptions(WEB_ROOT) })],
})
export class WebModule {}
