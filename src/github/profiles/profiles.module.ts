import { Module } from '@nestjs/common';
import { GithubUpstreamModule } from '../upstream/github-upstream.module';
import { ProfileService } from './profile.service';
import { ProfilesController } from './profiles.controller';
import { AccountFreshDataModule } from '../accounts/account-fresh-data.module';

/** Account profiles: users and organisations. */
@Module({
  imports: [AccountFreshDataModule, GithubUpstreamModule],
  controllers: [ProfilesController],
  providers: [ProfileService],
  exports: [ProfileService],
})
export class ProfilesModule {}
