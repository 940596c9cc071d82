import { Module } from '@nestjs/common';
import { TokenBuckets } from '@toonbank/platform';
import { ConversationsModule } from '@toonbank/conversations';
import { TemplatesController } from './templates.controller';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';
import { ToneCheckLimit } from './tone-check-limit';
import { ToneJudge } from './tone-judge';
import { ToneProfilesRepository } from './tone-profiles.repository';
import { ToneController } from './tone.controller';
import { ToneService } from './tone.service';

/** The tone of voice and the templates: the profile, the check, and the texts to start from. */
@Module({
  imports: [ConversationsModule],
  controllers: [ToneController, TemplatesController],
  providers: [
    ToneProfilesRepository,
    ToneJudge,
    ToneService,
    TokenBuckets,
    ToneCheckLimit,
    TemplatesRepository,
    TemplatesService,
  ],
  exports: [ToneProfilesRepository, ToneJudge, TemplatesRepository],
})
export class TemplatesModule {}
