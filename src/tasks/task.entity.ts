import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TaskPriority } from './task-priority.js';

/**
 * Constraints and indexes are declared here as well as in the migrations, so
 * that `migration:generate` sees no drift (test/deployment/schema.e2e-spec.ts); the
 * migrations remain the source. TypeORM cannot describe expression indexes
 * (the due-date and title sort keys), and the GIN indexes differ by engine
 * (extensions, migration TaskListIndexes): those are declared by name only,
 * `synchronize: false`, so the schema builder leaves them alone.
 */
@Entity('tasks')
@Check('tasks_title_check', 'char_length(title) >= 1 AND char_length(title) <= 200')
@Check('tasks_priority_check', "priority = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text])")
@Check('tasks_tags_check', 'cardinality(tags) <= 20')
@Check('tasks_version_check', 'version >= 1')
@Check('tasks_completed_at_check', 'completed = (completed_at IS NOT NULL)')
@Index('tasks_list_created_id_idx', ['listId', 'createdAt', 'id'])
@Index('tasks_list_updated_id_idx', ['listId', 'updatedAt', 'id'])
@Index('tasks_list_priority_idx', ['listId', 'priorityRank', 'id'])
@Index('tasks_list_due_asc_idx', { synchronize: false })
@Index('tasks_list_due_desc_idx', { synchronize: false })
@Index('tasks_list_title_idx', { synchronize: false })
@Index('tasks_list_tags_idx', { synchronize: false })
@Index('tasks_list_search_idx', { synchronize: false })
@Index('tasks_assignee_idx', ['assigneeId'], { where: 'assignee_id IS NOT NULL' })
export class Task {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /**
   * The list the task belongs to; deleting the list deletes its tasks. It leads the primary key and
   * every list index, and on Citus tasks are distributed by it (migration SharedLists): a move to
   * another list is a delete and an insert.
   */
  @PrimaryColumn({ name: 'list_id', type: 'uuid' })
  listId!: string;

  @ManyToOne('List', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'list_id', foreignKeyConstraintName: 'tasks_list_id_fkey' })
  private readonly list?: never;

  /**
   * The creator (the API's `userId`, an alias of `createdBy`); never changes. No foreign key to users:
   * a task in a shared list outlives its creator's account.
   */
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  /** A member of the task's list, or null; unassigned by the code when that account is deleted (no foreign key). */
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  // Who created, last changed and completed the task: plain ids, kept after the account is deleted.
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'completed_by', type: 'uuid', nullable: true })
  completedBy!: string | null;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  @Column({ type: 'boolean', default: false })
  completed!: boolean;

  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'text', default: TaskPriority.Medium })
  priority!: TaskPriority;

  /** High > medium > low: the list's sort and filter key (`PRIORITY_RANK`), computed by PostgreSQL. */
  @Column({
    name: 'priority_rank',
    type: 'smallint',
    generatedType: 'STORED',
    asExpression: `CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`,
    insert: false,
    update: false,
  })
  private readonly priorityRank?: number;

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3, nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
