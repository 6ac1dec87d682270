export default {
  displayName: 'scripts-e2e',
  preset: '../jest.preset.js',
  rootDir: '..',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 300_000,
};
