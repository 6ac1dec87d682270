import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(__dirname, 'testing/signal-shutdown.fixture.ts');

/** Runs the fixture service, signals it once it is ready; its stdout lines and exit code. */
async function signalled(
  signal: NodeJS.Signals,
): Promise<{ lines: string[]; code: number | null }> {
  // One process (node with tsx's loader), not the tsx CLI: that one runs the file in a child and
  // relays signals to it, so the exit status would be the relay's, not the service's.
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.base.json') },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    if (chunk.toString('utf8').includes('ready')) child.kill(signal);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { lines: out.split('\n').filter(Boolean), code };
}

describe('closeOnSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s runs the shutdown hooks, exits 0 and loses no buffered log line',
    async (signal) => {
      const { lines, code } = await signalled(signal);
      const messages = lines.map((line) => (JSON.parse(line) as { msg?: string }).msg);
      expect(code).toBe(0);
      expect(messages).toEqual(
        expect.arrayContaining([
          'a line still in the buffer when the signal comes',
          'shutting down',
          'shutdown hook ran',
        ]),
      );
    },
    60_000,
  );
});
