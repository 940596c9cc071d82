export * from './choose-assignee';
export * from './routing-sweep.service';
export * from './routing.module';
export * from './routing.service';
