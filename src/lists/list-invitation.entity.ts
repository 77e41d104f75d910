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
import type { InvitationRole } from './list-role.js';

/** An invitation by link. Only the SHA-256 of its token is stored: the token is shown once. */
@Entity('list_invitations')
@Check('list_invitations_role_check', "role = ANY (ARRAY['admin'::text, 'editor'::text, 'viewer'::text])")
@Check('list_invitations_max_uses_check', 'max_uses >= 1')
@Check('list_invitations_uses_check', 'uses >= 0 AND uses <= max_uses')
@Unique('list_invitations_token_hash_key', ['tokenHash'])
@Index('list_invitations_list_idx', ['listId', 'createdAt'])
export class ListInvitation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'list_invitations_pkey' })
  id!: string;

  @Column({ name: 'list_id', type: 'uuid' })
  listId!: string;

  @ManyToOne('List', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'list_id', foreignKeyConstraintName: 'list_invitations_list_id_fkey' })
  private readonly list?: never;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ type: 'text' })
  role!: InvitationRole;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'max_uses', type: 'integer', default: 1 })
  maxUses!: number;

  @Column({ type: 'integer', default: 0 })
  uses!: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'list_invitations_created_by_fkey' })
  private readonly creator?: never;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
