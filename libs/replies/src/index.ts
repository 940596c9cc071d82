export * from './dto/reply.dto';
export * from './outbound-queue';
export * from './outbound/outbound-sender';
export * from './outbound/outbound-sweep';
export * from './outbound/outbound.module';
export * from './replies.module';
export * from './replies.repository';
