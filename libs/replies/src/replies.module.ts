import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { ChannelAccountsModule } from '@toonbank/channel-accounts';
import { TemplatesModule } from '@toonbank/templates';
import { OutboundQueue } from './outbound-queue';
import { RepliesController } from './replies.controller';
import { RepliesRepository } from './replies.repository';
import { RepliesService } from './replies.service';
import { ReplyApprovals } from './reply-approvals.service';
import { ReplyNotifications } from './reply-notifications';
import { ReplyRetries } from './reply-retry.service';
import { ReplyWriter } from './reply-writer.service';

/** Replies: written, judged, approved, and handed to the outbound queue (the api's side). */
@Module({
  imports: [ConversationsModule, TemplatesModule, ChannelAccountsModule],
  controllers: [RepliesController],
  providers: [
    RepliesRepository,
    RepliesService,
    ReplyWriter,
    ReplyApprovals,
    ReplyNotifications,
    ReplyRetries,
    OutboundQueue,
  ],
  exports: [RepliesRepository, OutboundQueue],
})
export class RepliesModule {}
