export default {
  displayName: 'telematics-ingest',
  preset: '../../jest.preset.js',
  testPathIgnorePatterns: ['/test/'],
};
