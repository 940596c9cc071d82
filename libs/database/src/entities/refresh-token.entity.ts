import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { SessionEntity } from './session.entity';

/** One refresh token of a session; only its SHA-256 is stored. Each is usable once. */
@Entity('refresh_tokens')
@Unique(['tokenHash'])
@Index(['sessionId'])
@Index(['expiresAt'])
@ForeignKey(() => SessionEntity, ['organisationId', 'sessionId'], ['organisationId', 'id'], {
  onDelete: 'CASCADE',
})
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  organisationId!: string;

  @Column('uuid')
  sessionId!: string;

  @Column('text')
  tokenHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz')
  expiresAt!: Date;

  /** Set when the token is exchanged; a second use is a reuse and revokes the session. */
  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;
}
