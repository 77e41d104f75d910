import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from './user.entity.js';

export interface UserChanges {
  email?: string;
  name?: string;
}

export interface NewUser {
  email: string;
  name: string | null;
  passwordHash: string;
}

/** Every statement on `users`; UsersService keeps the rules. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  insert(user: NewUser): Promise<User> {
    return this.users.save(this.users.create(user));
  }

  async update(id: string, values: UserChanges): Promise<void> {
    // TypeORM sets updated_at itself on update().
    await this.users.update({ id }, values);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  async delete(id: string): Promise<void> {
    await this.users.delete({ id });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** Case-insensitive, answered by the unique index on lower(email). */
  findByEmail(email: string): Promise<User | null> {
    return this.users.createQueryBuilder('user').where('lower(user.email) = lower(:email)', { email }).getOne();
  }
}
