import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { MaturityLevel } from '@toonbank/shared';
import { OrganisationEntity } from './organisation.entity';
import { UserEntity } from './user.entity';

@Entity('maturity_changes')
@Index(['organisationId', 'at', 'id'])
@ForeignKey(() => UserEntity, ['organisationId', 'byUserId'], ['organisationId', 'id'])
@Check('ck_maturity_changes_levels', '"from" BETWEEN 1 AND 3 AND "to" BETWEEN 1 AND 3')
@Check('ck_maturity_changes_reason', "btrim(reason) <> ''")
export class MaturityChangeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column('smallint')
  from!: MaturityLevel;

  @Column('smallint')
  to!: MaturityLevel;

  @Column('text')
  reason!: string;

  @Column('uuid')
  byUserId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
