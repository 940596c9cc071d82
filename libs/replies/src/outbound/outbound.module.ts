import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { ChannelAccountsModule } from '@toonbank/channel-accounts';
import { RepliesRepository } from '../replies.repository';
import { OutboundSender } from './outbound-sender';
import { OutboundSweep } from './outbound-sweep';

/** The worker's side of replies: posting them to their channels. */
@Module({
  imports: [ConversationsModule, ChannelAccountsModule],
  providers: [RepliesRepository, OutboundSender, OutboundSweep],
  exports: [OutboundSender, OutboundSweep],
})
export class OutboundModule {}
