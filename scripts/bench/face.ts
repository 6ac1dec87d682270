// Face benchmark: npm run bench -- face [--rounds N] [--searches N] [--skip-search] [--faces DIR]
//
// The measurement runs the face service's own code in-process (real models in worker threads,
// the stack's ChromaDB in collections of its own, dropped at the end), so it lives with the
// service (services/face/src/bench/face-bench.cli.ts: a script may not import a service) and
// this entry only runs it with tsx. Figures and machine: docs/performance.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const result = spawnSync(
  'npx',
  [
    'tsx',
    '--tsconfig',
    'tsconfig.base.json',
    path.join(root, 'services/face/src/bench/face-bench.cli.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 2);
