import { Module } from '@nestjs/common';
import { GithubUpstreamModule } from '../upstream/github-upstream.module';
import { AccountReposFetcher } from './account-repos.fetcher';
import { OrgsController } from './orgs.controller';
import { RepoDetailsService } from './repo-details.service';
import { RepoListService } from './repo-list.service';
import { ReposController } from './repos.controller';
import { AccountFreshDataModule } from '../accounts/account-fresh-data.module';

/** Repository lists (users and organisations) and single repositories. */
@Module({
  imports: [AccountFreshDataModule, GithubUpstreamModule],
  controllers: [ReposController, OrgsController],
  providers: [RepoListService, RepoDetailsService, AccountReposFetcher],
  exports: [RepoListService, RepoDetailsService],
})
export class RepositoriesModule {}
