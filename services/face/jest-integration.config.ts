export default {
  displayName: 'face-integration',
  preset: '../../jest.integration-preset.js',
};
