import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { BusinessHours, MaturityLevel, RoutingStrategy } from '@toonbank/shared';
import type { PolicyMatrix } from '@toonbank/policy';

@Entity('organisations')
@Unique(['slug'])
@Check('ck_organisations_maturity_level', 'maturity_level BETWEEN 1 AND 3')
@Check(
  'ck_organisations_routing_strategy',
  "routing_strategy IN ('least_loaded', 'round_robin', 'manual')",
)
@Check('ck_organisations_sla', 'sla_first_response_minutes > 0')
@Check('ck_organisations_hand_back', 'hand_back_minutes > 0')
@Check('ck_organisations_raw_retention', 'raw_retention_days > 0')
@Check('ck_organisations_approvals_to_lift', 'approvals_to_lift IS NULL OR approvals_to_lift > 0')
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  slug!: string;

  @Column('smallint', { default: 1 })
  maturityLevel!: MaturityLevel;

  @Column('text', { default: 'least_loaded' })
  routingStrategy!: RoutingStrategy;

  @Column('integer', { default: 60 })
  slaFirstResponseMinutes!: number;

  @Column('jsonb', { nullable: true })
  businessHours!: BusinessHours | null;

  @Column('text', { default: 'Europe/Amsterdam' })
  timeZone!: string;

  @Column('integer', { default: 15 })
  handBackMinutes!: number;

  @Column('integer', { default: 90 })
  rawRetentionDays!: number;

  /** The organisation's own policy matrix; null = the default of SPEC.md §2. */
  @Column('jsonb', { nullable: true })
  policyMatrix!: PolicyMatrix | null;

  /** Trust ladder: approved replies in a row that lift the approval requirement; null = off. */
  @Column('integer', { nullable: true, default: 20 })
  approvalsToLift!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
