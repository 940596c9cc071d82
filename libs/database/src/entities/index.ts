import { AuditLogEntity } from './audit-log.entity';
import { ChannelAccountEntity } from './channel-account.entity';
import { ConversationNumberEntity } from './conversation-number.entity';
import { ConversationEntity } from './conversation.entity';
import { MaturityChangeEntity } from './maturity-change.entity';
import { MessageEntity } from './message.entity';
import { OrganisationEntity } from './organisation.entity';
import { QuarantinedItemEntity } from './quarantined-item.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { ReplyEntity } from './reply.entity';
import { SessionEntity } from './session.entity';
import { TemplateEntity } from './template.entity';
import { ToneProfileEntity } from './tone-profile.entity';
import { UserEntity } from './user.entity';

export {
  AuditLogEntity,
  ChannelAccountEntity,
  ConversationEntity,
  ConversationNumberEntity,
  MaturityChangeEntity,
  MessageEntity,
  OrganisationEntity,
  QuarantinedItemEntity,
  RefreshTokenEntity,
  ReplyEntity,
  SessionEntity,
  TemplateEntity,
  ToneProfileEntity,
  UserEntity,
};
export type { MessageAttachment } from './message.entity';
export type { StoredToneFinding } from './reply.entity';
export type { ForbiddenPhrase } from './tone-profile.entity';

export const ENTITIES = [
  OrganisationEntity,
  UserEntity,
  SessionEntity,
  RefreshTokenEntity,
  MaturityChangeEntity,
  ChannelAccountEntity,
  ConversationEntity,
  ConversationNumberEntity,
  MessageEntity,
  ReplyEntity,
  TemplateEntity,
  ToneProfileEntity,
  AuditLogEntity,
  QuarantinedItemEntity,
];
