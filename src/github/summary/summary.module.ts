import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module';
import { RepositoriesModule } from '../repositories/repositories.module';
import { GithubUpstreamModule } from '../upstream/github-upstream.module';
import { SummaryController } from './summary.controller';
import { SummaryService } from './summary.service';
import { AccountFreshDataModule } from '../accounts/account-fresh-data.module';

/** The dashboard in one call: a profile and its repositories, summarised. */
@Module({
  imports: [AccountFreshDataModule, GithubUpstreamModule, ProfilesModule, RepositoriesModule],
  controllers: [SummaryController],
  providers: [SummaryService],
})
export class SummaryModule {}
