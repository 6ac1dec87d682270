export default {
  displayName: 'delivery-fsm-integration',
  preset: '../../jest.integration-preset.js',
};
