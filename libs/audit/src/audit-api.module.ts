import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLogQuery } from './audit-log.query';

/** The API's read side of the audit log (the writer, AuditModule, is everyone's). */
@Module({
  controllers: [AuditController],
  providers: [AuditLogQuery],
})
export class AuditApiModule {}
