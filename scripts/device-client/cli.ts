// Reference device client CLI. Run with Node >= 24 from the repo root:
//   scripts/device-client/run.sh --help
// (= node --import ./scripts/node-ts-paths.mjs scripts/device-client/cli.ts --help)
import { runCli } from './commands';

runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
