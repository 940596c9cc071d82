import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { SlaService } from './sla.service';

@Module({
  imports: [ConversationsModule],
  providers: [SlaService],
  exports: [SlaService],
})
export class SlaModule {}
