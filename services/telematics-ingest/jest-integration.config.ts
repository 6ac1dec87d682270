export default {
  displayName: 'telematics-ingest-integration',
  preset: '../../jest.integration-preset.js',
};
