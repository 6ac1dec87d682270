export default {
  displayName: 'rate-limit-integration',
  preset: '../../jest.integration-preset.js',
};
