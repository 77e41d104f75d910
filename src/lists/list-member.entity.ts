import { Check, CreateDateColumn, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ListRole } from './list-role.js';

/** A user's membership of a list, the owner included (role `owner`). */
@Entity('list_members')
@Check('list_members_role_check', "role = ANY (ARRAY['owner'::text, 'admin'::text, 'editor'::text, 'viewer'::text])")
@Index('list_members_user_idx', ['userId', 'listId'])
export class ListMember {
  @PrimaryColumn({ name: 'list_id', type: 'uuid', primaryKeyConstraintName: 'list_members_pkey' })
  listId!: string;

  @ManyToOne('List', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'list_id', foreignKeyConstraintName: 'list_members_list_id_fkey' })
  private readonly list?: never;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'list_members_pkey' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'list_members_user_id_fkey' })
  private readonly user?: never;

  @Column({ type: 'text' })
  role!: ListRole;

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz', precision: 3 })
  joinedAt!: Date;
}
