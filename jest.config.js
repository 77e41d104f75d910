/**
 * Jest runs the TypeScript sources as native ES modules (Nest 12 is ESM-only),
 * hence ts-jest's ESM mode and NODE_OPTIONS=--experimental-vm-modules in the
 * npm scripts.
 */
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
export default {
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  // A hook that boots the application on the test database and signs a user up can take longer
  // than Jest's default 5 s on a loaded machine (a whole file then failed in its beforeAll).
  testTimeout: 30_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      // Service specs use the real database (no repository mocks).
      setupFiles: ['<rootDir>/test/setup-env.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/setup-env.ts'],
    },
  ],
};
