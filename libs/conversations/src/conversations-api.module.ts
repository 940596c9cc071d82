import { Module } from '@nestjs/common';
import { ConversationsController } from './conversations.controller';
import { ConversationsModule } from './conversations.module';

/** The API's side of conversations: the /api/conversations routes (the api imports it, the worker never). */
@Module({
  imports: [ConversationsModule],
  controllers: [ConversationsController],
})
export class ConversationsApiModule {}
