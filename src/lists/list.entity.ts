import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A list of tasks shared by its members. Declared as well as migrated (migration Lists) so
 * `migration:generate` sees no drift; `ListsRepository` reads and writes it.
 */
@Entity('lists')
@Check('lists_name_check', 'char_length(name::text) >= 1 AND char_length(name::text) <= 100')
@Check('lists_color_check', "color::text ~ '^#[0-9a-f]{6}$'")
@Check('lists_version_check', 'version >= 1')
@Index('lists_owner_idx', ['ownerId'])
// Partial unique index (one default list per owner): declared by name only, the migration builds it.
@Index('lists_owner_default_idx', { synchronize: false })
export class List {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'lists_pkey' })
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'lists_owner_id_fkey' })
  private readonly owner?: never;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 7, nullable: true })
  color!: string | null;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
