export default {
  displayName: 'store-e2e',
  preset: '../../../jest.preset.js',
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  testTimeout: 60_000,
};
