// Shared by every project's jest config. Nest 12 is ESM-only: Jest loads it through require(esm),
// which needs Node >= 24.9 started with --experimental-vm-modules (see docs/adr/0001).
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  clearMocks: true,
  restoreMocks: true,
};
