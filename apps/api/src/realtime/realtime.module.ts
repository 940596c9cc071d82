import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthModule } from '@toonbank/auth';
import { ConversationsModule } from '@toonbank/conversations';
import { EventPublisher, type Environment } from '@toonbank/platform';
import { ComposerGateway } from './composer.gateway';
import { ComposerPresence } from './composer-presence';
import { InboxGateway } from './inbox.gateway';

@Module({
  imports: [AuthModule, ConversationsModule],
  providers: [
    InboxGateway,
    ComposerGateway,
    {
      provide: ComposerPresence,
      inject: [EventPublisher, ConfigService],
      useFactory: (events: EventPublisher, config: ConfigService<Environment, true>) =>
        new ComposerPresence(events, config.get('COMPOSER_IDLE_SECONDS', { infer: true }) * 1000),
    },
  ],
})
export class RealtimeModule {}
