import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { PolicyEffects } from './eligibility-shift';
import { OrgController } from './org.controller';
import { OrgService } from './org.service';
import { PolicyController } from './policy.controller';
import { PolicyService } from './policy.service';

@Module({
  imports: [ConversationsModule],
  controllers: [OrgController, PolicyController],
  providers: [OrgService, PolicyService, PolicyEffects],
})
export class OrgModule {}
