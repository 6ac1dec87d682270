export default {
  displayName: 'store-e2e',
  preset: '../../jest.preset.js',
  rootDir: '..',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 60_000,
};
