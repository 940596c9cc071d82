import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { AuditAction, AuditSubjectType } from '@toonbank/shared';
import { OrganisationEntity } from './organisation.entity';
import { UserEntity } from './user.entity';

/** Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE (see the migration). */
@Entity('audit_log')
@Index(['organisationId', 'at', 'id'])
@Index(['organisationId', 'action', 'at'])
@Index(['organisationId', 'subjectId'])
@Index(['organisationId', 'actorId', 'at'])
@ForeignKey(() => UserEntity, ['organisationId', 'actorId'], ['organisationId', 'id'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  /** Null for the system's own acts (routing, workers). */
  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Column('text')
  action!: AuditAction;

  @Column('text')
  subjectType!: AuditSubjectType;

  @Column('uuid', { nullable: true })
  subjectId!: string | null;

  @Column('jsonb', { nullable: true })
  before!: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  after!: Record<string, unknown> | null;

  @Column('text', { nullable: true })
  reason!: string | null;
}
