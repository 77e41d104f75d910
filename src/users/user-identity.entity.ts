import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/** An external identity provider's `(issuer, subject)` that signs a user in (docs/IDENTITY-PROVIDERS.md). */
@Entity('user_identities')
@Unique('user_identities_issuer_subject_key', ['issuer', 'subject'])
@Index('user_identities_user_idx', ['userId'])
@Check('user_identities_issuer_check', 'char_length(issuer) >= 1 AND char_length(issuer) <= 2048')
@Check('user_identities_subject_check', 'char_length(subject) >= 1 AND char_length(subject) <= 255')
export class UserIdentity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_identities_user_id_fkey' })
  private readonly user?: never;

  /** The provider's `iss`, exactly as configured. */
  @Column({ type: 'text' })
  issuer!: string;

  /** The provider's `sub`: its user id, in whatever form it chooses. */
  @Column({ type: 'text' })
  subject!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
