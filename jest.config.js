/** Three tiers share one config: specs beside the code (unit), test/integration and test/e2e. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  moduleNameMapper: {
    '^@sne/core$': '<rootDir>/libs/core/src',
    '^@sne/core/(.*)$': '<rootDir>/libs/core/src/$1',
    '^@sne/messaging$': '<rootDir>/libs/messaging/src',
    '^@sne/messaging/(.*)$': '<rootDir>/libs/messaging/src/$1',
  },
  setupFiles: ['<rootDir>/test/support/test-env.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
