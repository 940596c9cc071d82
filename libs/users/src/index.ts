export * from './dto/user.dto';
export * from './dto/user.view';
export * from './initials';
export * from './password-hasher';
export * from './sessions.repository';
export * from './user.presenter';
export * from './users.module';
export * from './users.repository';
