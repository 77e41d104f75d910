import base from './jest.config.js';

/**
 * The web client in Chromium (`npm run test:browser`): a configuration of its
 * own, so `npm test` needs neither /usr/bin/chromium nor web/'s dependencies.
 * Same transform, database setup and environment as the e2e project.
 * @type {import('jest').Config}
 */
export default {
  globalSetup: base.globalSetup,
  globalTeardown: base.globalTeardown,
  projects: [
    {
      ...base.projects.find((project) => project.displayName === 'e2e'),
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
    },
  ],
};
