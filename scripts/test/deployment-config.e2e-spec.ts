import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The deployment files are tested as they would be used: compose.yml by Debian's docker-compose
 * (no engine needed for `config`), the gateway template by `nginx -t` once rendered for each way
 * of running. Each check script exits non-zero and says why on any failure.
 */
const run = promisify(execFile);
const root = resolve(__dirname, '../..');

async function check(script: string): Promise<string> {
  const { stdout, stderr } = await run('bash', [resolve(root, script)], {
    cwd: root,
    timeout: 280_000,
  });
  return `${stdout}${stderr}`;
}

describe('deployment configuration', () => {
  it('compose.yml is valid, keeps secrets out and matches the native service table', async () => {
    await expect(check('scripts/stack/check-compose.sh')).resolves.toBeDefined();
  });

  it('the one nginx template passes nginx -t for both compose and the native stack', async () => {
    await expect(check('scripts/stack/check-nginx.sh')).resolves.toBeDefined();
  });
});
