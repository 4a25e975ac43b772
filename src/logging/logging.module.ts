import { Module, RequestMethod } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { appConfig } from '../config/app.config';
import { isTracing, traceFields } from '../tracing/tracer';

/**
 * Structured JSON logs (pino) with the request id on every line; pretty output only in
 * development. Credentials are redacted wherever they could appear.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: ConfigType<typeof appConfig>) => ({
        // nestjs-pino's default `{/*splat}` matches nothing on Fastify under Nest 12 (checked):
        // every request would go unlogged and without an id.
        forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: app.logLevel,
          // With tracing on, every line logged inside a traced request carries its trace_id and
          // span_id; with it off, no mixin runs at all.
          ...(isTracing() ? { mixin: traceFields } : {}),
          // Fastify has already set `req.id` (see app.setup.ts); pino-http reuses it on every line.
          // The access line holds what an operator needs and nothing that could carry a secret:
          // no header maps at all (an Authorization or cookie header never reaches a log), which
          // also keeps the line cheap on the cached hot path.
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie'],
            censor: '[redacted]',
          },
          // Health probes every few seconds would drown the useful lines.
          // Fastify's middleware layer may hand pino-http a URL relative to the route: use the original.
          autoLogging: {
            ignore: (req) => isProbe((req as { originalUrl?: string }).originalUrl ?? req.url),
          },
          transport:
            app.env === 'development'
              ? { target: 'pino-pretty', options: { singleLine: true } }
              : undefined,
        },
      }),
    }),
  ],
})
export class LoggingModule {}

function isProbe(url: string | undefined): boolean {
  return /^\/health(\/|\?|$)/.test(url ?? '');
}
