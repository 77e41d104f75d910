import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// The unique index on lower(email) lives in the migrations: TypeORM cannot describe expression indexes.
@Entity('users')
@Check('users_email_check', 'char_length(email) >= 3 AND char_length(email) <= 254')
@Check('users_name_check', 'char_length(name::text) >= 1')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /**
   * Normalized (`normalizeEmail`: NFKC, full case folding) before it is stored or looked up;
   * unique through an index on lower(email).
   * Null for a user provisioned from an identity provider whose email is not trusted.
   */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  /** Null for a user provisioned from an identity provider: it signs in there, not here. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
