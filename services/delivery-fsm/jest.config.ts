export default {
  displayName: 'delivery-fsm',
  preset: '../../jest.preset.js',
  testPathIgnorePatterns: ['/test/'],
};
