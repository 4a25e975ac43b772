import { ConfigType } from '@nestjs/config';
import { createApp } from './app.setup';
import { appConfig } from './config/app.config';
import { assertValidEnvironment } from './config/configuration';
import { InvalidEnvironmentError } from './config/validate-env';

async function bootstrap(): Promise<void> {
  assertValidEnvironment();
  const app = await createApp();
  const { port } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  await app.listen(port, '0.0.0.0');
}

bootstrap().catch((error: unknown) => {
  // Configuration errors are the operator's to fix: one line naming the variable, no stack.
  const message =
    error instanceof InvalidEnvironmentError ? error.message : `Start-up failed: ${String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
