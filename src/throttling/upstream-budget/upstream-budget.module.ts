import { Global, Module } from '@nestjs/common';
import { ClientUpstreamBudget } from './client-upstream-budget';
import { ClientUpstreamSync, ClientUpstreamWindows } from './client-upstream-windows';

/**
 * Per-client budgets of GitHub requests. Global: the GitHub client charges it, app.setup.ts
 * names the client of each request.
 */
@Global()
@Module({
  providers: [ClientUpstreamWindows, ClientUpstreamSync, ClientUpstreamBudget],
  exports: [ClientUpstreamBudget],
})
export class UpstreamBudgetModule {}
