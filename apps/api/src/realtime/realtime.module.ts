import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthModule } from '@toonbank/auth';
import { ConversationsModule } from '@toonbank/conversations';
import { EventPublisher, REDIS, RedisConnections, type Environment } from '@toonbank/platform';
import type { Redis } from 'ioredis';
import { ComposerGateway } from './composer.gateway';
import { ComposerPresence } from './composer-presence';
import { InboxGateway } from './inbox.gateway';
import { SocketDeadlines } from './socket-deadlines';
import { SocketSlots } from './socket-slots';

/** Sockets a user may hold at once, over every api process (several tabs and devices). */
export const SOCKETS_PER_USER = 10;
/** How long the slot of a socket outlives its api process (renewed every third of this). */
export const SOCKET_SLOT_LEASE_MS = 60_000;

@Module({
  imports: [AuthModule, ConversationsModule],
  providers: [
    InboxGateway,
    ComposerGateway,
    SocketDeadlines,
    {
      provide: SocketSlots,
      inject: [REDIS, RedisConnections],
      useFactory: (redis: Redis, connections: RedisConnections) =>
        new SocketSlots(redis, {
          perUser: SOCKETS_PER_USER,
          leaseMs: SOCKET_SLOT_LEASE_MS,
          keyOf: (userId) => connections.key('sockets', userId),
        }),
    },
    {
      provide: ComposerPresence,
      inject: [EventPublisher, ConfigService],
      useFactory: (events: EventPublisher, config: ConfigService<Environment, true>) =>
        new ComposerPresence(events, config.get('COMPOSER_IDLE_SECONDS', { infer: true }) * 1000),
    },
  ],
})
export class RealtimeModule {}
