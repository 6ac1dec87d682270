export default { displayName: 'device-client', preset: '../../jest.preset.js' };
