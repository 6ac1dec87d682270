export default {
  displayName: 'face',
  preset: '../../jest.preset.js',
  testPathIgnorePatterns: ['/test/'],
};
