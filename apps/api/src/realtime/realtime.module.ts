import { Module } from '@nestjs/common';
import { AuthModule } from '@toonbank/auth';
import { InboxGateway } from './inbox.gateway';

@Module({
  imports: [AuthModule],
  providers: [InboxGateway],
})
export class RealtimeModule {}
