// The integration tier (docs/testing.md): `*.int-spec.ts` files, run in-process against the running
// stack's Postgres and Redis by the `integration` target, never by `test` (the unit preset's
// testMatch does not match `.int-spec.ts`). Each project's jest-integration.config.ts uses it.
const unitPreset = require('./jest.preset.js');

module.exports = {
  ...unitPreset,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  // Every project with this target has a drift check at least: no spec found is a broken setup.
  passWithNoTests: false,
  // Creating a database and running the migrations takes a second or two on a busy machine.
  testTimeout: 60_000,
};
