export default {
  displayName: 'base',
  preset: '../../jest.preset.js',
  testPathIgnorePatterns: ['/test/'],
};
