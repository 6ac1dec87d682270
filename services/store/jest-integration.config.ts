export default {
  displayName: 'store-integration',
  preset: '../../jest.integration-preset.js',
};
