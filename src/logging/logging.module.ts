import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { appConfig } from '../config/app.config';
import { requestIdFor } from './request-id';

/**
 * Structured JSON logs (pino) with the request id on every line; pretty output only in
 * development. Credentials are redacted wherever they could appear.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: ConfigType<typeof appConfig>) => ({
        pinoHttp: {
          level: app.logLevel,
          genReqId: requestIdFor,
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["x-api-key"]',
              'res.headers["set-cookie"]',
              '*.authorization',
              '*.Authorization',
              '*.token',
              '*.headers.Authorization',
            ],
            censor: '[redacted]',
          },
          // Health probes every few seconds would drown the useful lines.
          autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
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
