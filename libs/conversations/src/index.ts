export * from './assignment-writer';
export * from './conversation-commands.service';
export * from './conversation-events';
export * from './conversation.presenter';
export * from './conversations.module';
export * from './conversations.repository';
export * from './routing-trigger';
export * from './work-release';
