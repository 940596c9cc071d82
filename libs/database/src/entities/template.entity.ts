import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { ChannelProvider, ToneLanguage } from '@toonbank/shared';
import { OrganisationEntity } from './organisation.entity';
import { UserEntity } from './user.entity';

@Entity('templates')
@Unique(['organisationId', 'id'])
@Index('ix_templates_name', ['organisationId', 'name'], {
  unique: true,
  where: 'deleted_at IS NULL',
})
@ForeignKey(() => UserEntity, ['organisationId', 'createdBy'], ['organisationId', 'id'])
export class TemplateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  body!: string;

  /** The channels it is meant for; empty = all. */
  @Column('text', { array: true, default: () => "'{}'" })
  providers!: ChannelProvider[];

  @Column('text', { nullable: true })
  language!: ToneLanguage | null;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  /** Replies keep pointing at a deleted template. */
  @Column('timestamptz', { nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
