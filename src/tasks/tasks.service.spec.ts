import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { NotFoundException, PreconditionFailedException } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { createTestingModule, insertUser } from '../../test/helpers/testing-module.js';
import { TaskPriority } from './task-priority.js';
import { TasksService } from './tasks.service.js';

describe(TasksService.name, () => {
  let moduleRef: TestingModule;
  let tasks: TasksService;
  let owner: string;
  let stranger: string;
  const own = () => ({ callerId: owner });
  const strange = () => ({ callerId: stranger });

  beforeAll(async () => {
    moduleRef = await createTestingModule();
    tasks = moduleRef.get(TasksService);
  });
  afterAll(async () => {
    await moduleRef.close();
  });
  beforeEach(async () => {
    owner = await insertUser(moduleRef);
    stranger = await insertUser(moduleRef);
  });

  describe('create', () => {
    it('applies the defaults and stamps completedAt for a completed task', async () => {
      const task = await tasks.create(own(), { title: 'Ship it', completed: true });
      expect(task).toMatchObject({
        userId: owner,
        createdBy: owner,
        completedBy: owner,
        assigneeId: null,
        title: 'Ship it',
        description: null,
        priority: TaskPriority.Medium,
        tags: [],
        version: 1,
        completed: true,
      });
      expect(task.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });
  });

  describe('findVisible', () => {
    it('finds a task of the caller’s lists and treats one of another’s as missing', async () => {
      const task = await tasks.create(own(), { title: 'Mine' });
      await expect(tasks.findVisible(own(), task.id)).resolves.toMatchObject({ id: task.id });
      await expect(tasks.findVisible(strange(), task.id)).rejects.toThrow(NotFoundException);
    });
  });

  describe('update', () => {
    it('never touches another user’s task, even without a guard in front', async () => {
      const task = await tasks.create(own(), { title: 'Mine' });
      await expect(tasks.update(strange(), task.id, { title: 'Stolen' })).rejects.toThrow(NotFoundException);
      await expect(tasks.remove(strange(), task.id)).rejects.toThrow(NotFoundException);
      await expect(tasks.findVisible(own(), task.id)).resolves.toMatchObject({ title: 'Mine', version: 1 });
    });

    it('is 412 on a stale version and changes nothing', async () => {
      const task = await tasks.create(own(), { title: 'v1' });
      await tasks.update(own(), task.id, { title: 'v2' }, '"1"');
      await expect(tasks.update(own(), task.id, { title: 'v3' }, '"1"')).rejects.toThrow(PreconditionFailedException);
      await expect(tasks.findVisible(own(), task.id)).resolves.toMatchObject({ title: 'v2', version: 2 });
    });
  });

  describe('toggle', () => {
    it('flips exactly N times under N concurrent calls', async () => {
      const task = await tasks.create(own(), { title: 'Flip' });
      const n = 7;
      await Promise.all(Array.from({ length: n }, () => tasks.toggle(own(), task.id)));
      const after = await tasks.findVisible(own(), task.id);
      expect(after.version).toBe(1 + n);
      expect(after.completed).toBe(n % 2 === 1);
      expect(after.completedAt === null).toBe(!after.completed);
    });
  });

  describe('remove', () => {
    it('does not resurrect a task deleted while an update races it', async () => {
      const task = await tasks.create(own(), { title: 'Doomed' });
      const results = await Promise.allSettled([
        tasks.remove(own(), task.id),
        tasks.update(own(), task.id, { title: 'Still here?' }),
      ]);
      expect(results[0].status).toBe('fulfilled');
      await expect(tasks.findVisible(own(), task.id)).rejects.toThrow(NotFoundException);
    });
  });

  describe('assertWritable', () => {
    it('is 404 for a missing task and 412 for a stale If-Match', async () => {
      const task = await tasks.create(own(), { title: 'Check' });
      await expect(tasks.assertWritable(strange(), task.id, undefined)).rejects.toThrow(NotFoundException);
      await expect(tasks.assertWritable(own(), task.id, '"2"')).rejects.toThrow(PreconditionFailedException);
      await expect(tasks.assertWritable(own(), task.id, '"1"')).resolves.toMatchObject({ id: task.id });
      await expect(tasks.assertWritable(own(), task.id, '*')).resolves.toMatchObject({ version: 1 });
    });
  });
});
