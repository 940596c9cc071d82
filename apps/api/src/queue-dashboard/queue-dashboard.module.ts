import { Module } from '@nestjs/common';
import { AuthModule } from '@toonbank/auth';
import { QueueDashboard } from './queue-dashboard';
import { QueueDashboardController } from './queue-dashboard.controller';

/** Bull Board for the operator's admins (QUEUE_DASHBOARD_ORG); configure-api.ts mounts it. */
@Module({
  imports: [AuthModule],
  controllers: [QueueDashboardController],
  providers: [QueueDashboard],
  exports: [QueueDashboard],
})
export class QueueDashboardModule {}
