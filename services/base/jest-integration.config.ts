export default {
  displayName: 'base-integration',
  preset: '../../jest.integration-preset.js',
};
