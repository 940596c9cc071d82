import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { RoutingSweep } from './routing-sweep.service';
import { RoutingService } from './routing.service';

/** Auto-routing and hand-back (SPEC.md §4); run by the worker's routing processor. */
@Module({
  imports: [ConversationsModule],
  providers: [RoutingService, RoutingSweep],
  exports: [RoutingService, RoutingSweep],
})
export class RoutingModule {}
