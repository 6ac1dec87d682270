import { type Repository } from 'typeorm';
import { type UserEntity } from '../entities/user.entity';
import { InMemoryUsersRepository } from './in-memory-users.repository';
import { describeUsersStorageContract } from './users-storage.contract';

describeUsersStorageContract(
  'InMemoryUsersRepository',
  async () => new InMemoryUsersRepository() as unknown as Repository<UserEntity>,
);
