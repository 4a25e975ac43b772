import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { appConfig } from '../config/app.config';

/** Liveness: the process answers and knows what it is. Touches nothing outside the process. */
@Injectable()
export class AppInfoHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  check() {
    return this.indicators.check('app').up({
      version: this.app.version,
      environment: this.app.env,
      uptimeSeconds: Math.round(process.uptime()),
    });
  }
}
