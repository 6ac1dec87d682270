export default { displayName: 'navtelecom', preset: '../../jest.preset.js' };
