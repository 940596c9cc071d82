import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { Role } from '@toonbank/shared';
import { OrganisationEntity } from './organisation.entity';

@Entity('users')
@Unique(['email'])
@Unique(['organisationId', 'id'])
@Index(['organisationId', 'role'])
@Check('ck_users_role', "role IN ('admin', 'team_lead', 'agent', 'communications', 'employee')")
@Check('ck_users_email_lower_case', 'email = lower(email)')
@Check('ck_users_capacity', 'capacity >= 0')
@Check('ck_users_approvals_earned', 'approvals_earned >= 0')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  /** Always stored in lower case: e-mail is case-insensitive and unique across organisations. */
  @Column('text')
  email!: string;

  @Column('text')
  name!: string;

  @Column('text')
  initials!: string;

  @Column('text')
  role!: Role;

  @Column('boolean', { default: true })
  active!: boolean;

  @Column('timestamptz', { nullable: true })
  trainedAt!: Date | null;

  @Column('integer', { default: 10 })
  capacity!: number;

  @Column('text', { array: true, default: () => "'{}'" })
  languages!: string[];

  @Column('boolean', { default: true })
  available!: boolean;

  /** Trust ladder: approved replies in a row since the last rejection. */
  @Column('integer', { default: 0 })
  approvalsEarned!: number;

  /** Routing ties go to whoever was assigned least recently. */
  @Column('timestamptz', { nullable: true })
  lastAssignedAt!: Date | null;

  @Column('text', { select: false })
  passwordHash!: string;

  @Column('timestamptz', { nullable: true })
  passwordChangedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
