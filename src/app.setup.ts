import type { IncomingHttpHeaders } from 'node:http';
import { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { appConfig } from './config/app.config';
import { sendFrameworkError } from './common/framework-errors';
import { Problem } from './common/problem';
import { requestIdFrom } from './logging/request-id';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { StrictValidationPipe } from './common/strict-validation.pipe';

/**
 * Builds the application exactly as production runs it; `main.ts`, the end-to-end tests and the
 * OpenAPI export all start here, so none of them tests a different app.
 */
export async function createApp(): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    new FastifyAdapter({
      // A 2 kB URL is generous for these routes; longer ones are refused before any work.
      routerOptions: { maxParamLength: 200 },
      // One id per request, the caller's X-Request-Id when acceptable; pino-http logs it on every line.
      genReqId: (req: { headers: IncomingHttpHeaders }) => requestIdFrom(req.headers),
      frameworkErrors: sendFrameworkError,
    }),
    // abortOnError: false lets main.ts print a bad variable as one line instead of a stack.
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.header('x-request-id', request.id);
      done();
    });
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('GitHub Dashboard Backend')
    .setDescription(
      'Public GitHub data for dashboards: clean JSON, tokens kept server-side, the rate limit spent wisely.',
    )
    .setVersion(app.get<ConfigType<typeof appConfig>>(appConfig.KEY).version)
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [Problem] });
}
