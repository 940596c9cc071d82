import { Module } from '@nestjs/common';
import { ConversationsModule } from '@toonbank/conversations';
import { CustomerErasure } from './customer-erasure';
import { CustomersController } from './customers.controller';

/** The API's side of privacy: POST /api/customers/erase (the retention job runs in the worker). */
@Module({
  imports: [ConversationsModule],
  controllers: [CustomersController],
  providers: [CustomerErasure],
})
export class CustomerPrivacyModule {}
