import { Module } from '@nestjs/common';
import { AccountFreshData } from './account-fresh-data';

/**
 * The one AccountFreshData of the process: GitHub's services publish on it and history listens,
 * so both import this module rather than each other (or the upstream module, which would then
 * depend on the account models it carries).
 */
@Module({
  providers: [AccountFreshData],
  exports: [AccountFreshData],
})
export class AccountFreshDataModule {}
