import { describe, expect, it } from '@jest/globals';
import { RouteTable } from './route-table.js';

const route = (path: string, ...methods: string[]) => ({
  route: { path, methods: Object.fromEntries(methods.map((method) => [method, true])) },
});

const table = RouteTable.fromExpress({
  router: {
    stack: [
      { route: undefined },
      route('/api/tasks', 'get'),
      route('/api/tasks', 'post'),
      route('/api/tasks/:id', 'get', 'delete'),
      route('/api/tasks/:id/toggle', 'post'),
      route('/api/users/me', 'patch'),
      route('/health/*path', 'get', 'post', 'put'),
    ],
  },
});

describe(RouteTable.name, () => {
  describe('allowedMethods', () => {
    it('lists every method of a literal path, with HEAD where GET is', () => {
      expect(table.allowedMethods('/api/tasks')).toEqual(['GET', 'HEAD', 'POST']);
    });

    it('matches parameter segments and ignores a trailing slash and letter case', () => {
      expect(table.allowedMethods('/API/Tasks/123/')).toEqual(['DELETE', 'GET', 'HEAD']);
      expect(table.allowedMethods('/api/tasks/123/toggle')).toEqual(['POST']);
    });

    it('is empty for an unknown path', () => {
      expect(table.allowedMethods('/api/nothing')).toEqual([]);
      expect(table.allowedMethods('/api/tasks/1/2/3')).toEqual([]);
    });

    it('skips wildcard patterns (catch-all handlers claim every method)', () => {
      expect(table.allowedMethods('/health/anything')).toEqual([]);
    });
  });
});
