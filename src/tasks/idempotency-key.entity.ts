import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * A task creation made under an `Idempotency-Key`, kept 24 hours. Declared
 * as well as migrated (migration IdempotencyKeys) so `migration:generate`
 * sees no drift; `TasksRepository` reads and writes it.
 */
@Entity('idempotency_keys')
@Check('idempotency_keys_key_check', 'char_length(key) >= 1 AND char_length(key) <= 255')
@Index('idempotency_keys_created_idx', ['createdAt'])
export class IdempotencyKey {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'idempotency_keys_user_id_fkey' })
  private readonly user?: never;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key!: string;

  /** SHA-256 of the request body with its keys sorted: the same key with another body is a 422. */
  @Column({ type: 'text' })
  fingerprint!: string;

  /** The created task as the first response carried it; null only inside the creating transaction. */
  @Column({ type: 'jsonb', nullable: true })
  response!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
