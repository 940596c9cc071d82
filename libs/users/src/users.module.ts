import { Module } from '@nestjs/common';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { PasswordHasher } from './password-hasher';
import { SessionsRepository } from './sessions.repository';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { ConversationsModule } from '@toonbank/conversations';

@Module({
  imports: [ConversationsModule],
  controllers: [UsersController, MeController],
  providers: [UsersRepository, SessionsRepository, PasswordHasher, UsersService, MeService],
  exports: [UsersRepository, SessionsRepository, PasswordHasher],
})
export class UsersModule {}
