import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { TokenBuckets } from '@toonbank/platform';
import { TemplatesModule } from './templates.module';
import { ToneCheckLimit } from './tone-check-limit';
import { ToneController } from './tone.controller';
import { ToneService } from './tone.service';

/** /api/tone: the tone profile and the tone check (within its rate limit). */
@Module({
  imports: [TemplatesModule, ConversationsModule],
  controllers: [ToneController],
  providers: [ToneService, TokenBuckets, ToneCheckLimit],
})
export class ToneApiModule {}
