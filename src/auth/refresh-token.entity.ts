import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/** A refresh token, stored only as its SHA-256 hash; spent once, then replaced by the next in its session. */
@Entity('refresh_tokens')
@Unique('refresh_tokens_user_token_hash_key', ['userId', 'tokenHash'])
@Index('refresh_tokens_session_idx', ['userId', 'sessionId'])
// Finds a token issued before tokens named their user (SessionsService), without a scan of every token.
@Index('refresh_tokens_token_hash_idx', ['tokenHash'])
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  // By (user_id, session_id): on Citus a key between distributed tables must hold the distribution column.
  @ManyToOne('Session', { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'user_id', referencedColumnName: 'userId', foreignKeyConstraintName: 'refresh_tokens_session_id_fkey' },
    { name: 'session_id', referencedColumnName: 'id', foreignKeyConstraintName: 'refresh_tokens_session_id_fkey' },
  ])
  private readonly session?: never;

  /** Leads the primary key and the token's unique key: the refresh token carries it (SessionsService). */
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'refresh_tokens_user_id_fkey' })
  private readonly user?: never;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  /** Idle lifetime: unused past this, the token is dead. */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'spent_at', type: 'timestamptz', precision: 3, nullable: true })
  spentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
