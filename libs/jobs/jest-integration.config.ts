export default {
  displayName: 'jobs-integration',
  preset: '../../jest.integration-preset.js',
};
