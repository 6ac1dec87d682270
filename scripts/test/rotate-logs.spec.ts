import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** rotate_logs (scripts/stack/lib.sh), run by `platform.sh stop`: the native stack's logs stay bounded. */
describe('rotate_logs', () => {
  const lib = resolve(__dirname, '../stack/lib.sh');
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rotate-logs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rotate = () =>
    execFileSync('bash', ['-c', `source "${lib}" && rotate_logs "${dir}"`], {
      env: { ...process.env, LOG_ROTATE_MB: '1', NO_COLOR: '1' },
      encoding: 'utf8',
    });

  it('moves a log over the limit to .log.1, replacing the older one, and leaves the others', () => {
    writeFileSync(join(dir, 'base.log'), 'x'.repeat(1024 * 1024 + 1));
    writeFileSync(join(dir, 'base.log.1'), 'older');
    writeFileSync(join(dir, 'store.log'), 'small');
    writeFileSync(join(dir, 'notes.txt'), 'y'.repeat(2 * 1024 * 1024));
    expect(rotate()).toContain('rotated base.log');
    expect(existsSync(join(dir, 'base.log'))).toBe(false);
    expect(readFileSync(join(dir, 'base.log.1'), 'utf8')).toHaveLength(1024 * 1024 + 1);
    expect(readFileSync(join(dir, 'store.log'), 'utf8')).toBe('small');
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });

  it('does nothing in a directory without logs', () => {
    expect(rotate()).toBe('');
  });
});
