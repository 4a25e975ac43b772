import { Module } from '@nestjs/common';
import { GithubUpstreamModule } from '../upstream/github-upstream.module';
import { ProfileService } from './profile.service';
import { ProfilesController } from './profiles.controller';

/** Account profiles: users and organisations. */
@Module({
  imports: [GithubUpstreamModule],
  controllers: [ProfilesController],
  providers: [ProfileService],
  exports: [ProfileService],
})
export class ProfilesModule {}
