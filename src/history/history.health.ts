import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HistoryDatabase } from './storage/history-database';

/**
 * Readiness of history. A database that is down (or still starting) is `degraded`, never `down`:
 * every route but the two history routes still serves, and taking replicas out of the load
 * balancer would turn a history outage into a full one (docs/history.md).
 */
@Injectable()
export class HistoryHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: HistoryDatabase,
  ) {}

  check() {
    const indicator = this.indicators.check('history');
    const { backend, state } = this.database;
    if (state === 'disabled') {
      return indicator.up({ enabled: false });
    }
    return state === 'up'
      ? indicator.up({ backend, database: state })
      : indicator.degraded({ backend, database: state });
  }
}
