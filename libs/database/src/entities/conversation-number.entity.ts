import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { OrganisationEntity } from './organisation.entity';

/** The last conversation number an organisation handed out (references count per organisation). */
@Entity('conversation_numbers')
@Check('ck_conversation_numbers_last_number', 'last_number >= 0')
export class ConversationNumberEntity {
  @PrimaryColumn('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column('integer', { default: 0 })
  lastNumber!: number;
}
