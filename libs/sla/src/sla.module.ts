import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { SlaTimerRebuild } from './sla-timer-rebuild';
import { SlaService } from './sla.service';

@Module({
  imports: [ConversationsModule],
  providers: [SlaService, SlaTimerRebuild],
  exports: [SlaService, SlaTimerRebuild],
})
export class SlaModule {}
